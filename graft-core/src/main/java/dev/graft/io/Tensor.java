package dev.graft.io;

import dev.graft.GraftException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * One named array of a safetensors file, held in Java arrays: floating-point dtypes ({@code F32},
 * {@code F16}, {@code BF16}) as {@code float[]}, {@code I64} as {@code long[]}.
 *
 * <p>The dtype is the one stored in (or to be written to) the file; {@code F16} and {@code BF16}
 * values are widened to {@code float} on read and rounded to nearest-even on write. Arrays are
 * row-major and are not copied: don't modify them once the tensor is built.
 *
 * @param dtype {@code F32}, {@code F16}, {@code BF16} or {@code I64}
 * @param shape the dimensions, each &ge; 0; {@code []} is a scalar with one element
 * @param data the values of a floating-point tensor, {@code product(shape)} long; null for I64
 * @param longData the values of an I64 tensor, {@code product(shape)} long; null otherwise
 */
public record Tensor(String dtype, long[] shape, float[] data, long[] longData) {

    /** The dtypes Graft reads and writes. */
    public static final Set<String> DTYPES = Set.of("F32", "F16", "BF16", "I64");

    /**
     * Checks the dtype, that the shape is non-negative, and that the data fits the shape.
     *
     * @param dtype {@code F32}, {@code F16}, {@code BF16} or {@code I64}
     * @param shape the dimensions, each &ge; 0; {@code []} is a scalar with one element
     * @param data the values of a floating-point tensor, {@code product(shape)} long; null for I64
     * @param longData the values of an I64 tensor, {@code product(shape)} long; null otherwise
     */
    public Tensor {
        if (dtype == null || !DTYPES.contains(dtype)) {
            throw new GraftException("unsupported tensor dtype '" + dtype + "'; use one of F32, F16, BF16, I64");
        }
        Objects.requireNonNull(shape, "shape");
        shape = shape.clone();
        long count = elementCount(shape);
        boolean integer = dtype.equals("I64");
        if (integer ? (longData == null || data != null) : (data == null || longData != null)) {
            throw new GraftException("a " + dtype + " tensor needs " + (integer ? "longData" : "data")
                    + " and no " + (integer ? "data" : "longData") + "; pass exactly one array matching the dtype");
        }
        long length = integer ? longData.length : data.length;
        if (length != count) {
            throw new GraftException("tensor of shape " + Arrays.toString(shape) + " needs " + count
                    + " values but was given " + length + "; make the array length the product of the shape");
        }
    }

    /**
     * Makes a 32-bit float tensor.
     *
     * @param shape the dimensions
     * @param data row-major values, {@code product(shape)} long
     * @return an {@code F32} tensor
     */
    public static Tensor f32(long[] shape, float[] data) {
        return new Tensor("F32", shape, data, null);
    }

    /**
     * Makes a 64-bit integer tensor.
     *
     * @param shape the dimensions
     * @param data row-major values, {@code product(shape)} long
     * @return an {@code I64} tensor
     */
    public static Tensor i64(long[] shape, long[] data) {
        return new Tensor("I64", shape, null, data);
    }

    /**
     * Returns the values of a floating-point tensor.
     *
     * @return the values of a floating-point tensor
     * @throws GraftException if this is an {@code I64} tensor (use {@link #longData()})
     */
    @Override
    public float[] data() {
        if (data == null) {
            throw new GraftException("tensor is " + dtype + ", not floating point; read it with longData()");
        }
        return data;
    }

    /**
     * Returns the values of an integer tensor.
     *
     * @return the values of an {@code I64} tensor
     * @throws GraftException if this is a floating-point tensor (use {@link #data()})
     */
    @Override
    public long[] longData() {
        if (longData == null) {
            throw new GraftException("tensor is " + dtype + ", not I64; read it with data()");
        }
        return longData;
    }

    /** {@return a copy of the dimensions} */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** {@return the number of elements, the product of the shape} */
    public long elementCount() {
        return elementCount(shape);
    }

    /** {@return bytes per element of {@code dtype} in a safetensors file, or -1 if not supported} */
    static int dtypeSize(String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "I64" -> 8;
            default -> -1;
        };
    }

    /**
     * @return the product of {@code shape}
     * @throws GraftException if a dimension is negative or the product exceeds a Java array
     */
    static long elementCount(long[] shape) {
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new GraftException("tensor shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                count = Long.MAX_VALUE;
            }
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new GraftException("tensor shape " + Arrays.toString(shape) + " has " + count
                    + " elements, more than a Java array holds; split the tensor");
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && dtype.equals(t.dtype) && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data) && Arrays.equals(longData, t.longData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(data), Arrays.hashCode(longData));
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
