package dev.graft.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuFeaturesTest {

    @TempDir
    Path work;

    @Test
    void flagsOfTheFirstProcessorSayWhatReducedPrecisionItOffers() throws Exception {
        Path epyc = Files.writeString(work.resolve("epyc"), "processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_vnni avx512_bf16\n");
        Path older = Files.writeString(work.resolve("older"), "processor\t: 0\nflags\t\t: fpu sse4_2 avx2 fma\n");
        assertThat(CpuFeatures.read(epyc)).isEqualTo(new CpuFeatures(true, true));
        assertThat(CpuFeatures.read(older)).isEqualTo(new CpuFeatures(false, false));
        assertThat(CpuFeatures.read(work.resolve("missing"))).isEqualTo(new CpuFeatures(false, false));
        assertThat(Int8Weights.limit(false)).as("7-bit weights where int16 sums could saturate").isEqualTo(63);
    }
}
