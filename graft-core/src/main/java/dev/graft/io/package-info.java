/**
 * File formats and safe file handling: atomic writes ({@link dev.graft.io.AtomicFiles}) and the
 * safetensors weight format ({@link dev.graft.io.Safetensors}, {@link dev.graft.io.Tensor},
 * {@link dev.graft.io.SafetensorsFile}).
 */
package dev.graft.io;
