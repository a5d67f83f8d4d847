#!/usr/bin/python3
"""Builds the volume-load benchmark's inputs from the real CT series in ../shared/data.

Usage: /usr/bin/python3 tests/bench/makeBenchData.py [cacheDir]   (default /tmp/axial-bench)

Writes, each step skipped when its `.complete` marker already exists:
  source-raw/   the 20 real JPEG 2000 slices, decompressed by `gdcmconv --raw`
  series-raw/   512x512x300 CT, Explicit VR Little Endian, one file per slice
  series-j2k/   the same slices, JPEG 2000 lossless (`gdcmconv --j2k`, 1.2.840.10008.1.2.4.90)
  nifti/ct.nii.gz   the same volume converted by `dcm2niix -z y`
and prints the three paths as one JSON line.

Needs Debian's python3 (pydicom, numpy), gdcmconv, dcmdump and dcm2niix.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pydicom
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

SOURCE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'data', 'dicom',
                          'ct-abdomen-j2k')
SLICE_COUNT = 300
SLICE_STEP_MM = 2.0
J2K_LOSSLESS = '1.2.840.10008.1.2.4.90'
WORKERS = max(1, os.cpu_count() or 1)


def main() -> None:
    cache = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '/tmp/axial-bench')
    os.makedirs(cache, exist_ok=True)
    source_raw = os.path.join(cache, 'source-raw')
    series_raw = os.path.join(cache, 'series-raw')
    series_j2k = os.path.join(cache, 'series-j2k')
    nifti_dir = os.path.join(cache, 'nifti')
    once(source_raw, lambda: decompress_source(source_raw))
    once(series_raw, lambda: build_series(source_raw, series_raw))
    once(series_j2k, lambda: compress_series(series_raw, series_j2k))
    once(nifti_dir, lambda: convert_to_nifti(series_raw, nifti_dir))
    print(json.dumps({'seriesRaw': series_raw, 'seriesJ2k': series_j2k,
                      'nifti': os.path.join(nifti_dir, 'ct.nii.gz')}))


def once(folder: str, build) -> None:
    """Runs `build` into a fresh `folder` unless a previous run finished it."""
    marker = os.path.join(folder, '.complete')
    if os.path.exists(marker):
        return
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    print(f'building {folder}', file=sys.stderr)
    build()
    open(marker, 'w').close()


def dicom_files(folder: str) -> list:
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if not n.startswith('.'))


def run_all(commands: list) -> None:
    with ThreadPoolExecutor(WORKERS) as pool:
        for result in pool.map(lambda c: subprocess.run(c, capture_output=True, text=True), commands):
            if result.returncode != 0:
                sys.exit(f'{" ".join(result.args)} failed:\n{result.stderr}')


def decompress_source(out_dir: str) -> None:
    # pydicom 2.3 here has no JPEG 2000 handler, so GDCM decodes the real slices first. GDCM refuses
    # to write an image whose SOPClassUID is empty (the anonymised source's is), so fill it in first.
    names = sorted(n for n in os.listdir(SOURCE_DIR) if not n.startswith('.'))
    if len(names) == 0:
        sys.exit(f'no DICOM files in {SOURCE_DIR}')
    with tempfile.TemporaryDirectory() as patched:
        for name in names:
            ds = pydicom.dcmread(os.path.join(SOURCE_DIR, name))
            ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID or CTImageStorage
            ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
            ds.save_as(os.path.join(patched, name))
        run_all([['gdcmconv', '--raw', os.path.join(patched, n), os.path.join(out_dir, n)] for n in names])


def build_series(source_dir: str, out_dir: str) -> None:
    sources = [pydicom.dcmread(p) for p in dicom_files(source_dir)]
    sources.sort(key=lambda ds: int(ds.InstanceNumber))
    pixels = [ds.pixel_array for ds in sources]
    first = sources[0]
    top = [float(v) for v in first.ImagePositionPatient]
    max_stored = (1 << int(first.BitsStored)) - 1
    seed = 'axial-bench-ct-512x512x300'
    study_uid = generate_uid(entropy_srcs=[seed, 'study'])
    series_uid = generate_uid(entropy_srcs=[seed, 'series'])
    for k in range(SLICE_COUNT):
        ds = sources[ping_pong(k, len(sources))]
        ds = pydicom.dcmread(ds.filename)
        sop_uid = generate_uid(entropy_srcs=[seed, 'instance', str(k)])
        position = [top[0], top[1], top[2] - SLICE_STEP_MM * k]
        ds.StudyInstanceUID = study_uid
        ds.SeriesInstanceUID = series_uid
        ds.SeriesNumber = 1
        ds.SeriesDescription = 'Axial bench CT 512x512x300'
        ds.SOPClassUID = CTImageStorage
        ds.SOPInstanceUID = sop_uid
        ds.InstanceNumber = k + 1
        ds.ImagePositionPatient = [format_ds(v) for v in position]
        ds.SliceLocation = format_ds(position[2])
        for keyword in ('SmallestImagePixelValue', 'LargestImagePixelValue'):
            if keyword in ds:
                delattr(ds, keyword)
        ds.PixelData = perturb(pixels[ping_pong(k, len(sources))], k, max_stored).tobytes()
        ds['PixelData'].VR = 'OW'
        ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
        ds.file_meta.MediaStorageSOPInstanceUID = sop_uid
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.is_little_endian = True
        ds.is_implicit_VR = False
        ds.save_as(os.path.join(out_dir, f'CT{k + 1:04d}.dcm'), write_like_original=False)


def ping_pong(k: int, n: int) -> int:
    """0, 1, …, n-1, n-2, …, 1, 0, 1, …: neighbouring slices stay anatomically close."""
    period = 2 * (n - 1)
    phase = k % period
    return phase if phase < n else period - phase


def perturb(slice_pixels: np.ndarray, k: int, max_stored: int) -> np.ndarray:
    """Adds deterministic ±2 noise inside the body so no two of the 300 slices are equal."""
    noise = np.random.default_rng(k).integers(-2, 3, size=slice_pixels.shape)
    body = slice_pixels > 0
    out = slice_pixels.astype(np.int32)
    out[body] += noise[body]
    return np.clip(out, 0, max_stored).astype(slice_pixels.dtype)


def format_ds(value: float) -> str:
    text = f'{value:.8f}'.rstrip('0').rstrip('.')
    return text[:16]


def compress_series(raw_dir: str, out_dir: str) -> None:
    # gdcmconv --j2k is reversible (lossless) unless --irreversible, --quality or --rate is given.
    files = dicom_files(raw_dir)
    run_all([['gdcmconv', '--j2k', f, os.path.join(out_dir, os.path.basename(f))] for f in files])
    for f in dicom_files(out_dir)[:1] + dicom_files(out_dir)[-1:]:
        dump = subprocess.run(['dcmdump', '-M', '+P', '0002,0010', f], capture_output=True, text=True).stdout
        if J2K_LOSSLESS not in dump and 'JPEG2000LosslessOnly' not in dump:
            sys.exit(f'{f} is not JPEG 2000 lossless: {dump.strip()}')


def convert_to_nifti(raw_dir: str, out_dir: str) -> None:
    result = subprocess.run(['dcm2niix', '-z', 'y', '-b', 'n', '-f', 'ct', '-o', out_dir, raw_dir],
                            capture_output=True, text=True)
    if result.returncode != 0 or not os.path.exists(os.path.join(out_dir, 'ct.nii.gz')):
        sys.exit(f'dcm2niix failed:\n{result.stdout}\n{result.stderr}')


if __name__ == '__main__':
    main()
