/**
 * Seconds since midnight of a DICOM time: a TM value ("HHMMSS.FFFFFF", any tail left out, or the
 * ACR-NEMA "HH:MM:SS.frac"), or the time of day of a DT value ("YYYYMMDDHHMMSS.FFFFFF&ZZXX"; a
 * DT with no time gives midnight). Undefined when the text is not such a time.
 */
export function secondsOfDicomTime(value: string, vr: 'TM' | 'DT'): number | undefined {
  let time = value.trim();
  if (vr === 'DT') {
    if (!/^\d{8}/.test(time)) return undefined;
    // The UTC offset (+/-ZZXX) is left out: differences between times of one series are what is wanted.
    time = time.slice(8).replace(/[+-]\d{4}$/, '') || '00';
  }
  const match = /^(\d{2})(?::?(\d{2})(?::?(\d{2})(\.\d{1,6})?)?)?$/.exec(time);
  if (!match) return undefined;
  const [hours, minutes, seconds] = [match[1], match[2], match[3]].map((part) => Number(part ?? 0)) as [number, number, number];
  if (hours > 23 || minutes > 59 || seconds > 60) return undefined;
  return hours * 3600 + minutes * 60 + seconds + Number(match[4] ?? 0);
}
