import { describe, expect, it } from 'vitest';
import { segmentCodesFor } from '../../../main/dicomSeg/segmentCodes.js';
import { totalSegmentatorLabels } from '../../../main/dicomSeg/totalSegmentatorLabels.js';

const anatomical = { value: '123037004', scheme: 'SCT', meaning: 'Anatomical Structure' };
const tissue = { value: '85756007', scheme: 'SCT', meaning: 'Tissue' };
const altered = { value: '49755003', scheme: 'SCT', meaning: 'Morphologically Altered Structure' };
const typeOf = (name: string): string => segmentCodesFor(name).type.value;

describe('segmentCodesFor', () => {
  it('codes organs as SNOMED CT anatomical structures', () => {
    expect(segmentCodesFor('liver')).toEqual({ category: anatomical, type: { value: '10200004', scheme: 'SCT', meaning: 'Liver' } });
    expect(segmentCodesFor('spleen').type).toEqual({ value: '78961009', scheme: 'SCT', meaning: 'Spleen' });
    expect(typeOf('pancreas')).toBe('15776009');
    expect(typeOf('urinary_bladder')).toBe('89837001');
    expect(typeOf('inferior_vena_cava')).toBe('64131007');
    expect(typeOf('portal_vein_and_splenic_vein')).toBe('110765007');
    expect(typeOf('small_bowel')).toBe('30315005');
    expect(typeOf('Small Intestine')).toBe('30315005');
    expect(typeOf('thyroid_gland')).toBe('69748006');
  });

  it('ignores case, spaces, underscores and laterality', () => {
    for (const name of ['kidney_left', 'kidney_right', 'Left Kidney', 'KIDNEY', 'right-kidney']) expect(typeOf(name)).toBe('64033007');
    for (const name of ['adrenal_gland_left', 'Adrenal gland']) expect(typeOf(name)).toBe('23451007');
    for (const name of ['lung_upper_lobe_left', 'lung_middle_lobe_right', 'lung', 'Right lung']) expect(typeOf(name)).toBe('39607008');
  });

  it('maps every vertebra to Vertebra and every rib to Rib', () => {
    for (const name of ['vertebrae_T12', 'vertebrae_L1', 'vertebrae_C1', 'vertebrae_S1', 'vertebra']) expect(typeOf(name)).toBe('51282000');
    for (const name of ['rib_left_7', 'rib_right_12', 'ribs']) expect(typeOf(name)).toBe('113197003');
  });

  it("knows TotalSegmentator's muscles, cartilage and bones", () => {
    expect(typeOf('autochthon_left')).toBe('244849004');
    expect(typeOf('costal_cartilages')).toBe('50016007');
    expect(typeOf('iliopsoas_left')).toBe('68455001');
    expect(typeOf('hip_left')).toBe('29836001');
    expect(typeOf('femur_right')).toBe('71341001');
    expect(typeOf('humerus_left')).toBe('85050009');
    expect(typeOf('sternum')).toBe('56873002');
    expect(typeOf('sacrum')).toBe('54735007');
    expect(typeOf('skull')).toBe('89546000');
    expect(typeOf('heart_atrium_left')).toBe('82471001');
    expect(typeOf('heart')).toBe('80891009');
  });

  it('codes brain tissue, and tumours and lesions as morphologically altered structures', () => {
    expect(typeOf('white matter')).toBe('389080008');
    expect(typeOf('grey_matter')).toBe('389081007');
    expect(typeOf('Gray Matter')).toBe('389081007');
    expect(segmentCodesFor('liver_tumor')).toEqual({ category: altered, type: { value: '108369006', scheme: 'SCT', meaning: 'Neoplasm' } });
    expect(segmentCodesFor('Tumour').category).toEqual(altered);
    expect(segmentCodesFor('lesion 2').type.value).toBe('52988006');
    expect(segmentCodesFor('kidney_cyst_left').type.value).toBe('367643001');
  });

  it('falls back to Tissue/Tissue for names it does not know', () => {
    expect(segmentCodesFor('Label 7')).toEqual({ category: tissue, type: tissue });
    expect(segmentCodesFor('hippocampus')).toEqual({ category: tissue, type: tissue });
    expect(segmentCodesFor('')).toEqual({ category: tissue, type: tissue });
  });

  it('has a specific code for each of TotalSegmentator\'s 117 "total" classes', () => {
    expect(totalSegmentatorLabels.size).toBe(117);
    expect([1, 2, 5, 32, 64, 92, 115, 116, 117].map((v) => totalSegmentatorLabels.get(v))).toEqual([
      'spleen',
      'kidney_right',
      'liver',
      'vertebrae_T12',
      'portal_vein_and_splenic_vein',
      'rib_left_1',
      'rib_right_12',
      'sternum',
      'costal_cartilages',
    ]);
    const generic = [...totalSegmentatorLabels.values()].filter((name) => segmentCodesFor(name).type.value === tissue.value);
    expect(generic).toEqual([]);
  });
});
