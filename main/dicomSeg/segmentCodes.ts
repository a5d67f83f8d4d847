import type { CodedConcept } from './SegSegment.js';

const sct = (value: string, meaning: string): CodedConcept => ({ value, scheme: 'SCT', meaning });

const anatomicalStructure = sct('123037004', 'Anatomical Structure');
const tissue = sct('85756007', 'Tissue');
const alteredStructure = sct('49755003', 'Morphologically Altered Structure');

/**
 * A name pattern (on the squashed name: lower case, no spaces, underscores or
 * hyphens; "left"/"right" allowed before or after it unless `free`), and its
 * SNOMED CT codes. Codes as TotalSegmentator's
 * `resources/totalsegmentator_snomed_mapping.csv` and dcmqi's DICOM-Master
 * segmentation contexts (from DICOM PS3.16) give them. First match wins.
 */
interface CodeRule {
  readonly pattern: string;
  readonly category: CodedConcept;
  readonly type: CodedConcept;
  /** Matched anywhere in the name (for findings such as "liver_tumor"). */
  readonly free?: boolean;
}

const organ = (pattern: string, value: string, meaning: string): CodeRule => ({
  pattern,
  category: anatomicalStructure,
  type: sct(value, meaning),
});

const rules: readonly CodeRule[] = [
  { pattern: 'tumou?r|neoplasm|cancer|carcinoma|metastas[ie]s', category: alteredStructure, type: sct('108369006', 'Neoplasm'), free: true },
  { pattern: 'lesion', category: alteredStructure, type: sct('52988006', 'Lesion'), free: true },
  { pattern: 'cyst', category: alteredStructure, type: sct('367643001', 'Cyst'), free: true },
  organ('liver', '10200004', 'Liver'),
  organ('spleen', '78961009', 'Spleen'),
  organ('kidneys?', '64033007', 'Kidney'),
  organ('pancreas', '15776009', 'Pancreas'),
  organ('stomach', '69695003', 'Stomach'),
  organ('gallbladder', '28231008', 'Gallbladder'),
  organ('(urinary)?bladder', '89837001', 'Urinary bladder'),
  organ('heartmyocardium|myocardium', '74281007', 'Myocardium'),
  organ('heartatriumleft|leftatrium', '82471001', 'Left atrium'),
  organ('heartatriumright|rightatrium', '73829009', 'Right atrium'),
  organ('heartventricleleft|leftventricle', '87878005', 'Left ventricle of heart'),
  organ('heartventricleright|rightventricle', '53085002', 'Right ventricle of heart'),
  organ('heart', '80891009', 'Heart'),
  organ('lungs?((upper|middle|lower)lobe)?|(upper|middle|lower)lobe(oflung)?', '39607008', 'Lung'),
  organ('aorta', '15825003', 'Aorta'),
  organ('inferiorvenacava|ivc', '64131007', 'Inferior vena cava'),
  organ('superiorvenacava|svc', '48345005', 'Superior vena cava'),
  organ('portalveinandsplenicvein', '110765007', 'Portal vein and splenic vein'),
  organ('portalvein', '32764006', 'Portal vein'),
  organ('splenicvein', '35819009', 'Splenic vein'),
  organ('o?esophagus', '32849002', 'Esophagus'),
  organ('duodenum', '38848004', 'Duodenum'),
  organ('small(bowel|intestine)', '30315005', 'Small intestine'),
  organ('colon', '71854001', 'Colon'),
  organ('adrenal(gland)?s?', '23451007', 'Adrenal gland'),
  organ('brain', '12738006', 'Brain'),
  organ('prostate', '41216001', 'Prostate'),
  organ('trachea', '44567001', 'Trachea'),
  organ('spinalcord', '2748008', 'Spinal cord'),
  organ('vertebra(e|l)?([cls]\\d{1,2}|t\\d{1,2}|s\\d)?|vertebrae(cervical|thoracic|lumbar)', '51282000', 'Vertebra'),
  organ('ribs?(left|right)?\\d{0,2}', '113197003', 'Rib'),
  organ('sternum', '56873002', 'Sternum'),
  organ('femur', '71341001', 'Femur'),
  organ('humerus', '85050009', 'Humerus'),
  organ('hip(bone)?', '29836001', 'Hip'),
  organ('sacrum', '54735007', 'Sacrum'),
  organ('skull', '89546000', 'Skull'),
  organ('thyroid(gland)?', '69748006', 'Thyroid gland'),
  organ('(cerebral)?whitematter', '389080008', 'White matter'),
  organ('(cerebral)?gr[ae]ymatter', '389081007', 'Gray matter'),
  organ('autochthon', '244849004', 'Deep muscle of back'),
  organ('costalcartilages?', '50016007', 'Costal cartilage'),
  organ('iliopsoas', '68455001', 'Iliopsoas muscle'),
  organ('gluteusmaximus', '181674001', 'Gluteus maximus muscle'),
  organ('gluteusmedius', '78333006', 'Gluteus medius muscle'),
  organ('gluteusminimus', '75297007', 'Gluteus minimus muscle'),
  organ('scapula', '79601000', 'Scapula'),
  organ('clavicul[ae]|clavicle', '51299004', 'Clavicle'),
  organ('iliacartery', '73634005', 'Common iliac artery'),
  organ('iliacvena|iliacvein', '46027005', 'Common iliac vein'),
  organ('pulmonaryartery', '81040000', 'Pulmonary artery'),
  organ('pulmonaryveins?', '122972007', 'Pulmonary vein'),
  organ('brachiocephalictrunk', '12691009', 'Brachiocephalic artery'),
  organ('brachiocephalicvein', '8887007', 'Brachiocephalic vein'),
  organ('subclavianartery', '29700009', 'Subclavian artery'),
  organ('commoncarotidartery', '32062004', 'Common carotid artery'),
  organ('atrialappendage', '68786006', 'Auricular appendage'),
  organ('skeletalmuscle', '127954009', 'Skeletal muscle'),
  { pattern: 'subcutaneousfat', category: tissue, type: sct('67769002', 'Subcutaneous fatty tissue') },
  { pattern: 'torsofat|fat', category: tissue, type: sct('55603005', 'Fat') },
];

const compiled = rules.map((rule) => ({
  rule,
  regex: new RegExp(rule.free ? `(${rule.pattern})` : `^(left|right)?(${rule.pattern})(left|right)?$`),
}));

/**
 * DICOM SEG's SegmentedPropertyCategory and SegmentedPropertyType codes
 * (SNOMED CT) for a segment name: common organs, bones, vessels and muscles in
 * TotalSegmentator's names ("kidney_left", "vertebrae_T12", "rib_left_7") or
 * plain words ("Left kidney", "grey matter"), matched ignoring case, spaces,
 * underscores and hyphens. Laterality is left to the segment's label. Names
 * it does not know get the generic Tissue/Tissue.
 */
export function segmentCodesFor(name: string): { category: CodedConcept; type: CodedConcept } {
  const squashed = name.toLowerCase().replace(/[\s_-]+/g, '');
  const match = compiled.find(({ regex }) => regex.test(squashed));
  return match ? { category: match.rule.category, type: match.rule.type } : { category: tissue, type: tissue };
}
