#!/usr/bin/python3
"""Builds Siemens MR mosaic files (one file per time point) from a real classic slice series.

Usage: /usr/bin/python3 tests/unit/dicom/makeSiemensMosaic.py SOURCE_FOLDER OUTPUT_FOLDER VARIANT

SOURCE_FOLDER holds one single-frame slice per file (any transfer syntax gdcmconv decodes).
SLICES consecutive slices, sorted along their normal, are cropped at their centre to tiles of
TILE_ROWS x TILE_COLUMNS and laid out as Siemens lays out an EPI mosaic: one Rows x Columns
image of m x m tiles, m = ceil(sqrt(N)), row-major, the unused tiles zero. Each of TIME_POINTS
files is one volume (AcquisitionNumber and InstanceNumber 1, 2, 3), its stored values shifted
by 5 per time point so that volumes can be told apart.

Geometry is written as Siemens writes it: ImagePositionPatient is the top-left corner of the
whole mosaic seen as one image, i.e. slice 0's first voxel moved back by (Rows - tile rows)/2
pixels along the column direction and (Columns - tile columns)/2 pixels along the row direction
(nibabel's MosaicWrapper.image_position undoes exactly this); slice k lies at slice 0 plus
k x SpacingBetweenSlices along the CSA header's SliceNormalVector.

The Siemens private data: the CSA Image Header Info (0029,1010) under the private creator
"SIEMENS CSA HEADER" (0029,0010), in the CSA2 layout ("SV10", 4 bytes, n_tags, 77, then per tag
name[64] vm vr[4] syngodt n_items 77, then per item 4 int32 with the length second and the
value padded to 4 bytes), and in some variants NumberOfImagesInMosaic (0019,100A, US) under
"SIEMENS MR HEADER" (0019,0010).

VARIANT, one of:
  csa          N in the CSA header only; SliceNormalVector = row x column; explicit VR LE.
  flipped      SliceNormalVector = -(row x column) (tiles run the other way, as in sagittal
               Siemens series); N in both the CSA header and (0019,100A); implicit VR LE.
  private-only N only in (0019,100A), the CSA header has the SliceNormalVector only; an oblique
               orientation and non-square tiles (64 rows x 56 columns).
  enhanced     one Enhanced MR Image (multi-frame) file whose TIME_POINTS frames are each a mosaic:
               ImageType MOSAIC and the CSA header at the top level, PixelSpacing, thickness and
               orientation in the shared functional groups, each frame's mosaic corner in its
               PlanePositionSequence; oblique, SliceNormalVector against row x column.

Prints one JSON line: {"files": [...], "slices": N, "tile": [rows, columns], "positions": [...]}.
Needs Debian's python3 (pydicom 2.3, numpy) and gdcmconv.
"""

import json
import math
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid

MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4'
SLICES = 12
TIME_POINTS = 3
VARIANTS = {
    'csa': {'tile': (64, 64), 'sign': 1, 'csa_count': True, 'private_count': False, 'implicit': False, 'oblique': False},
    'flipped': {'tile': (64, 64), 'sign': -1, 'csa_count': True, 'private_count': True, 'implicit': True, 'oblique': False},
    'private-only': {'tile': (64, 56), 'sign': 1, 'csa_count': False, 'private_count': True, 'implicit': False, 'oblique': True},
    'enhanced': {'tile': (64, 64), 'sign': -1, 'csa_count': True, 'private_count': False, 'implicit': False, 'oblique': True},
}
ENHANCED_MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4.1'
# A rotation of the axial orientation by about 20 degrees around two axes: an oblique EPI slab.
OBLIQUE_ORIENTATION = (0.9396926, 0.3420201, 0.0, -0.3213938, 0.8830222, 0.3420201)


def main() -> None:
    if len(sys.argv) != 4 or sys.argv[3] not in VARIANTS:
        sys.exit(__doc__)
    source, output, name = sys.argv[1], sys.argv[2], sys.argv[3]
    variant = VARIANTS[name]
    tiles, geometry = read_tiles(source, variant)
    os.makedirs(output, exist_ok=True)
    files = []
    if name == 'enhanced':
        path = os.path.join(output, 'mosaic-enhanced.dcm')
        enhanced([build(tiles + 5 * t, geometry, variant, name, t) for t in range(TIME_POINTS)]).save_as(path, write_like_original=False)
        files.append(path)
    for t in range(TIME_POINTS if not files else 0):
        path = os.path.join(output, f'mosaic-{name}-{t + 1}.dcm')
        build(tiles + 5 * t, geometry, variant, name, t).save_as(path, write_like_original=False)
        files.append(path)
    print(json.dumps({'files': files, 'slices': SLICES, 'tile': list(variant['tile']),
                      'positions': [list(map(float, p)) for p in geometry['positions']]}))


def read_tiles(folder: str, variant: dict) -> tuple:
    """SLICES consecutive slices from the middle of the series, cropped, as uint16, and their geometry."""
    slices = read_decompressed(folder)
    start = (len(slices) - SLICES) // 2
    chosen = slices[start:start + SLICES]
    rows, columns = variant['tile']
    first = chosen[0]
    r0 = (first.Rows - rows) // 2
    c0 = (first.Columns - columns) // 2
    tiles = []
    for ds in chosen:
        real = ds.decoded.astype(np.int64) * int(ds.get('RescaleSlope', 1)) + int(ds.get('RescaleIntercept', 0))
        tiles.append(np.clip(real[r0:r0 + rows, c0:c0 + columns] + 1024, 0, 4000))
    spacing = [float(v) for v in first.PixelSpacing]
    if variant['oblique']:
        orientation = np.array(OBLIQUE_ORIENTATION)
    else:
        orientation = np.array([float(v) for v in first.ImageOrientationPatient])
    row_dir, column_dir = orientation[:3], orientation[3:]
    normal = np.cross(row_dir, column_dir) * variant['sign']
    gap = abs(float(np.dot(np.subtract(position(chosen[1]), position(chosen[0])), np.cross(row_dir, column_dir))))
    slice0 = position(first) + row_dir * spacing[1] * c0 + column_dir * spacing[0] * r0
    positions = [slice0 + k * gap * normal for k in range(SLICES)]
    geometry = {'orientation': orientation, 'normal': normal, 'spacing': spacing, 'gap': gap,
                'thickness': float(first.SliceThickness), 'positions': positions, 'source': first}
    return np.stack(tiles), geometry


def position(ds: Dataset) -> np.ndarray:
    return np.array([float(v) for v in ds.ImagePositionPatient])


def read_decompressed(folder: str) -> list:
    """Every slice of the folder, decompressed with gdcmconv, sorted along the slice normal."""
    names = sorted(n for n in os.listdir(folder) if not n.startswith('.'))
    with tempfile.TemporaryDirectory(prefix='axial-mosaic-') as raw:
        slices = []
        for name in names:
            # GDCM refuses an empty SOPClassUID (the anonymised source's is): filled from the meta.
            patched = os.path.join(raw, name + '.patched')
            ds = pydicom.dcmread(os.path.join(folder, name))
            ds.SOPClassUID = ds.get('SOPClassUID') or ds.file_meta.MediaStorageSOPClassUID
            ds.SOPInstanceUID = ds.get('SOPInstanceUID') or ds.file_meta.MediaStorageSOPInstanceUID
            ds.save_as(patched)
            target = os.path.join(raw, name)
            result = subprocess.run(['gdcmconv', '--raw', patched, target], capture_output=True, text=True)
            if result.returncode != 0:
                sys.exit(f'gdcmconv --raw {patched} failed:\n{result.stderr}')
            ds = pydicom.dcmread(target)
            ds.decoded = ds.pixel_array.copy()
            slices.append(ds)
    normal = np.cross(*np.reshape([float(v) for v in slices[0].ImageOrientationPatient], (2, 3)))
    slices.sort(key=lambda ds: float(np.dot(normal, position(ds))))
    return slices


def mosaic_of(tiles: np.ndarray) -> np.ndarray:
    """The tiles laid out row-major on an m x m grid, the unused tiles zero."""
    count, rows, columns = tiles.shape
    m = math.ceil(math.sqrt(count))
    image = np.zeros((m * rows, m * columns), dtype=np.uint16)
    for k in range(count):
        r, c = divmod(k, m)
        image[r * rows:(r + 1) * rows, c * columns:(c + 1) * columns] = tiles[k]
    return image


def csa_header(tags: list) -> bytes:
    """A CSA2 header holding `tags`, each (name, vr, values), padded to 6 items as Siemens does."""
    out = bytearray(b'SV10\x04\x03\x02\x01')
    out += struct.pack('<2I', len(tags), 77)
    for name, vr, values in tags:
        n_items = max(6, len(values))
        out += struct.pack('<64si4s3i', name.encode(), len(values), vr.encode(), 0, n_items, 77)
        for item in range(n_items):
            data = (values[item] + '\0').encode() if item < len(values) else b''
            out += struct.pack('<4i', len(data), len(data), 77, len(data))
            out += data + b'\0' * ((4 - len(data) % 4) % 4)
    return bytes(out)


def build(tiles: np.ndarray, geometry: dict, variant: dict, name: str, t: int) -> Dataset:
    source = geometry['source']
    seed = f'axial-mosaic-{name}-'
    image = mosaic_of(tiles)
    tile_rows, tile_columns = variant['tile']
    row_dir, column_dir = geometry['orientation'][:3], geometry['orientation'][3:]
    spacing = geometry['spacing']
    # Siemens' mosaic ImagePositionPatient: the corner of the whole mosaic, not of slice 0.
    corner = (geometry['positions'][0]
              - row_dir * spacing[1] * (image.shape[1] - tile_columns) / 2
              - column_dir * spacing[0] * (image.shape[0] - tile_rows) / 2)
    ds = Dataset()
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = MR_IMAGE_STORAGE
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[seed + f'sop-{t}'])
    meta.TransferSyntaxUID = ImplicitVRLittleEndian if variant['implicit'] else ExplicitVRLittleEndian
    meta.ImplementationClassUID = generate_uid(entropy_srcs=['axial-mosaic-implementation'])
    ds.file_meta = meta
    ds.SpecificCharacterSet = 'ISO_IR 100'
    ds.ImageType = ['ORIGINAL', 'PRIMARY', 'M', 'ND', 'MOSAIC']
    ds.SOPClassUID = MR_IMAGE_STORAGE
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyDate = source.get('StudyDate', '20000101')
    ds.SeriesDate = ds.StudyDate
    ds.AcquisitionTime = f'1200{t:02d}.000000'
    ds.Modality = 'MR'
    ds.Manufacturer = 'SIEMENS'
    ds.ManufacturerModelName = 'Prisma'
    ds.SoftwareVersions = 'syngo MR E11'
    ds.SeriesDescription = f'ep2d_bold mosaic ({name})'
    ds.ProtocolName = ds.SeriesDescription
    ds.PatientName = source.get('PatientName', 'Anonymous')
    ds.PatientID = source.get('PatientID', 'mosaic')
    ds.ScanningSequence = 'EP'
    ds.SequenceVariant = 'SK'
    ds.MRAcquisitionType = '2D'
    ds.SliceThickness = geometry['thickness']
    ds.SpacingBetweenSlices = geometry['gap']
    ds.RepetitionTime = 2000
    ds.EchoTime = 30
    ds.EchoNumbers = 1
    ds.MagneticFieldStrength = 3
    ds.AcquisitionMatrix = [0, tile_columns, tile_rows, 0]
    ds.InPlanePhaseEncodingDirection = 'COL'
    ds.StudyInstanceUID = generate_uid(entropy_srcs=[seed + 'study'])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=[seed + 'series'])
    ds.StudyID = '1'
    ds.SeriesNumber = 5
    ds.AcquisitionNumber = t + 1
    ds.InstanceNumber = t + 1
    ds.ImagePositionPatient = [round(float(v), 6) for v in corner]
    ds.ImageOrientationPatient = [round(float(v), 7) for v in geometry['orientation']]
    ds.FrameOfReferenceUID = generate_uid(entropy_srcs=[seed + 'frame-of-reference'])
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.Rows, ds.Columns = image.shape
    ds.PixelSpacing = spacing
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.private_block(0x0019, 'SIEMENS MR HEADER', create=True)
    if variant['private_count']:
        ds.private_block(0x0019, 'SIEMENS MR HEADER').add_new(0x0A, 'US', SLICES)
    csa = [('EchoLinePosition', 'IS', ['32']), ('UsedChannelMask', 'UL', ['255']),
           ('AcquisitionMatrixText', 'SH', [f'{tile_rows}p*{tile_columns}'])]
    if variant['csa_count']:
        csa.append(('NumberOfImagesInMosaic', 'US', [str(SLICES)]))
    csa.append(('SliceNormalVector', 'FD', [f'{v:.8f}' for v in geometry['normal']]))
    csa.append(('TimeAfterStart', 'DS', [f'{2.0 * t:.8f}']))
    ds.private_block(0x0029, 'SIEMENS CSA HEADER', create=True).add_new(0x10, 'OB', csa_header(csa))
    ds.PixelData = image.astype('<u2').tobytes()
    return ds


def enhanced(classic: list) -> Dataset:
    """The classic mosaics as the frames of one Enhanced MR Image, geometry in functional groups only."""
    ds = classic[0]
    ds.SOPClassUID = ENHANCED_MR_IMAGE_STORAGE
    ds.file_meta.MediaStorageSOPClassUID = ENHANCED_MR_IMAGE_STORAGE
    ds.NumberOfFrames = len(classic)
    measures = Dataset()
    measures.PixelSpacing = ds.PixelSpacing
    measures.SliceThickness = ds.SliceThickness
    measures.SpacingBetweenSlices = ds.SpacingBetweenSlices
    orientation = Dataset()
    orientation.ImageOrientationPatient = ds.ImageOrientationPatient
    shared = Dataset()
    shared.PixelMeasuresSequence = Sequence([measures])
    shared.PlaneOrientationSequence = Sequence([orientation])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    frames = []
    for t, mosaic in enumerate(classic):
        plane = Dataset()
        plane.ImagePositionPatient = mosaic.ImagePositionPatient
        content = Dataset()
        content.TemporalPositionIndex = t + 1
        frame = Dataset()
        frame.PlanePositionSequence = Sequence([plane])
        frame.FrameContentSequence = Sequence([content])
        frames.append(frame)
    ds.PerFrameFunctionalGroupsSequence = Sequence(frames)
    for keyword in ('ImagePositionPatient', 'ImageOrientationPatient', 'PixelSpacing', 'SliceThickness', 'SpacingBetweenSlices'):
        delattr(ds, keyword)
    ds.PixelData = b''.join(mosaic.PixelData for mosaic in classic)
    return ds


if __name__ == '__main__':
    main()
