/** A triangle covering the canvas, from gl_VertexID alone (no buffers). */
export const vertexShader = `#version 300 es
void main() {
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
`;

/** Which parts of the ray caster a program includes. */
export interface RayCastOptions {
  /** Composite the label map's segments as coloured volumes. */
  readonly labels: boolean;
  /** Lambert shading from the value gradient (3 more samples where a sample is not transparent). */
  readonly shade: boolean;
}

/**
 * The ray caster. Rays run in continuous voxel-index space (see
 * rayGeometry): the volume is sampled trilinearly from an R32F (or R16F) 3D
 * texture, classified by the nearest entry of a transfer-function table
 * already corrected for the step,
 * shaded by the value gradient where it is not transparent, and composited
 * front to back until nearly opaque. Label voxels (an integer 3D texture of
 * display codes, nearest) take their segment's colour and per-step opacity
 * from a colour texture. Blocks that the occupancy texture marks empty
 * (nothing visible in their value range, no label) are stepped over whole.
 * Labels and shading are compiled in or out rather
 * than switched by uniforms: software rasterisers (SwiftShader) run both
 * sides of a branch for every pixel, so code left in costs even when unused.
 */
export function fragmentShaderSource(options: RayCastOptions): string {
  return `#version 300 es
${options.labels ? '#define LABELS' : ''}
${options.shade ? '#define SHADE' : ''}
${fragmentBody}`;
}

const fragmentBody = `precision highp float;
precision highp int;
precision highp sampler3D;
precision highp usampler3D;

uniform sampler3D u_volume;
uniform sampler2D u_transfer;
uniform highp usampler3D u_occupancy;
uniform float u_blockSize;
uniform vec3 u_dims;
uniform vec3 u_origin;
uniform vec3 u_dx;
uniform vec3 u_dy;
uniform vec3 u_step;
uniform vec3 u_invStep;
uniform vec3 u_clipLo;
uniform vec3 u_clipHi;
uniform vec2 u_valueToEntry;
uniform mat3 u_normalMatrix;
uniform vec3 u_light;
uniform int u_maxSteps;
uniform vec3 u_background;
#ifdef LABELS
uniform usampler3D u_labels;
uniform sampler2D u_labelColours;
#endif
out vec4 fragColour;

float valueAt(vec3 index) {
  return texture(u_volume, (index + 0.5) / u_dims).r;
}

float lambert(vec3 gradient) {
  vec3 n = u_normalMatrix * gradient;
  float len = length(n);
  return len > 1e-6 ? 0.35 + 0.65 * abs(dot(n / len, u_light)) : 1.0;
}

#ifdef SHADE
// Forward differences: three more samples rather than six, which matters where the GPU is the CPU.
float valueShade(vec3 index, float value) {
  vec3 g = vec3(valueAt(index + vec3(1.0, 0.0, 0.0)), valueAt(index + vec3(0.0, 1.0, 0.0)), valueAt(index + vec3(0.0, 0.0, 1.0))) - value;
  return lambert(g);
}
#endif

#ifdef LABELS
uint labelAt(vec3 index) {
  ivec3 p = clamp(ivec3(floor(index + 0.5)), ivec3(0), ivec3(u_dims) - 1);
  return texelFetch(u_labels, p, 0).r;
}

float labelShade(vec3 index, uint code) {
  vec3 g = vec3(
    float(labelAt(index + vec3(1.0, 0.0, 0.0)) == code) - float(labelAt(index - vec3(1.0, 0.0, 0.0)) == code),
    float(labelAt(index + vec3(0.0, 1.0, 0.0)) == code) - float(labelAt(index - vec3(0.0, 1.0, 0.0)) == code),
    float(labelAt(index + vec3(0.0, 0.0, 1.0)) == code) - float(labelAt(index - vec3(0.0, 0.0, 1.0)) == code));
  return lambert(g);
}
#endif

void main() {
  vec2 pixel = gl_FragCoord.xy - 0.5;
  vec3 start = u_origin + pixel.x * u_dx + pixel.y * u_dy;
  vec3 t0 = (u_clipLo - start) * u_invStep;
  vec3 t1 = (u_clipHi - start) * u_invStep;
  vec3 tLow = min(t0, t1);
  vec3 tHigh = max(t0, t1);
  // Clamped before int(): a ray parallel to a face gives huge t, and int() of a float out of range is undefined.
  float limit = float(u_maxSteps);
  float near = clamp(max(max(tLow.x, tLow.y), tLow.z), 0.0, limit + 1.0);
  float far = clamp(min(min(tHigh.x, tHigh.y), tHigh.z), -1.0, limit);
  int first = int(ceil(near - 0.5));
  int last = int(floor(far - 0.5));
  float entries = float(textureSize(u_transfer, 0).x - 1);
  vec4 sum = vec4(0.0);
  int n = first;
  while (n <= last) {
    vec3 index = start + (float(n) + 0.5) * u_step;
    ivec3 block = ivec3(floor((index + 0.5) / u_blockSize));
    if (texelFetch(u_occupancy, block, 0).r == 0u) {
      // Jump to the first sample past this block's far faces.
      vec3 blockLo = vec3(block) * u_blockSize - 0.5;
      vec3 exits = (mix(blockLo, blockLo + u_blockSize, greaterThan(u_invStep, vec3(0.0))) - start) * u_invStep;
      float exitT = min(min(min(exits.x, exits.y), exits.z), limit + 1.0);
      n = max(n + 1, int(ceil(exitT - 0.5)));
      continue;
    }
    n++;
    float value = valueAt(index);
    float entry = clamp(value * u_valueToEntry.x + u_valueToEntry.y, 0.0, entries);
    vec4 s = texelFetch(u_transfer, ivec2(int(entry), 0), 0);
    float shade = 1.0;
#ifdef LABELS
    uint code = labelAt(index);
    vec4 colour = texelFetch(u_labelColours, ivec2(int(code), 0), 0);
    if (colour.a > 0.0) {
      s = colour;
      shade = labelShade(index, code);
    } else
#endif
    {
      if (s.a < 0.002) continue;
#ifdef SHADE
      shade = valueShade(index, value);
#endif
    }
    sum.rgb += (1.0 - sum.a) * s.a * shade * s.rgb;
    sum.a += (1.0 - sum.a) * s.a;
    if (sum.a > 0.985) break;
  }
  fragColour = vec4(sum.rgb + (1.0 - sum.a) * u_background, 1.0);
}
`;
