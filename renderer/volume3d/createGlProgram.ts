/** Why the 3D view cannot draw, in words for the user, with a stable code. */
export class Volume3dError extends Error {
  constructor(
    readonly code: 'VOLUME3D_NO_WEBGL2' | 'VOLUME3D_SHADER' | 'VOLUME3D_TOO_LARGE' | 'VOLUME3D_CONTEXT_LOST',
    message: string,
  ) {
    super(message);
    this.name = 'Volume3dError';
  }
}

/**
 * Compiles and links a vertex and a fragment shader.
 * @throws Volume3dError (VOLUME3D_SHADER) with the driver's log when either fails.
 */
export function createGlProgram(gl: WebGL2RenderingContext, vertexSource: string, fragmentSource: string): WebGLProgram {
  const compile = (type: number, source: string): WebGLShader => {
    const shader = gl.createShader(type);
    if (!shader) throw new Volume3dError('VOLUME3D_SHADER', 'could not create a shader (is the GPU context lost?)');
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS) && !gl.isContextLost()) {
      const log = gl.getShaderInfoLog(shader) ?? '';
      gl.deleteShader(shader);
      throw new Volume3dError('VOLUME3D_SHADER', `the 3D shader did not compile: ${log.trim()}`);
    }
    return shader;
  };
  const vertex = compile(gl.VERTEX_SHADER, vertexSource);
  const fragment = compile(gl.FRAGMENT_SHADER, fragmentSource);
  const program = gl.createProgram();
  if (!program) throw new Volume3dError('VOLUME3D_SHADER', 'could not create a shader program');
  gl.attachShader(program, vertex);
  gl.attachShader(program, fragment);
  gl.linkProgram(program);
  gl.deleteShader(vertex);
  gl.deleteShader(fragment);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS) && !gl.isContextLost()) {
    const log = gl.getProgramInfoLog(program) ?? '';
    gl.deleteProgram(program);
    throw new Volume3dError('VOLUME3D_SHADER', `the 3D shader did not link: ${log.trim()}`);
  }
  return program;
}
