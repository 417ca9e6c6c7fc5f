package dev.graft.adapt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {

    static final List<String> GROUPS = List.of("embeddings", "block0", "block1", "block2", "block3", "block4", "block5");

    static List<Boolean> trainable(Stage stage) {
        return stage.groups().stream().map(GroupSetting::trainable).toList();
    }

    @Test
    void planJsonRoundTrips() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String name : List.of("feature-extraction", "partial:2", "full", "two-stage", "gradual")) {
            FineTunePlan plan = Strategy.parse(name).plan(GROUPS, TrainingOptions.defaults());
            FineTunePlan back = json.readValue(json.writeValueAsString(plan), FineTunePlan.class);
            assertThat(back).as(name).isEqualTo(plan);
        }
    }

    @Test
    void strategiesChooseTheGroupsTheyName() {
        TrainingOptions o = TrainingOptions.defaults();
        FineTunePlan fe = Strategy.parse("feature-extraction").plan(GROUPS, o);
        assertThat(fe.backboneFrozen()).isTrue();
        assertThat(fe.stages().get(0).boundary()).isEqualTo(7);

        FineTunePlan partial = Strategy.parse("partial:2").plan(GROUPS, o);
        assertThat(trainable(partial.stages().get(0))).containsExactly(false, false, false, false, false, true, true, true);
        assertThat(partial.stages().get(0).boundary()).isEqualTo(5);

        FineTunePlan full = Strategy.parse("full").plan(GROUPS, o);
        assertThat(trainable(full.stages().get(0))).containsOnly(true);

        FineTunePlan twoStage = Strategy.parse("two-stage").plan(GROUPS, o);
        assertThat(twoStage.stages()).extracting(Stage::name).containsExactly("head", "unfreeze");
        assertThat(twoStage.stages().get(0).headOnly()).isTrue();
        assertThat(trainable(twoStage.stages().get(1))).containsOnly(true);

        FineTunePlan gradual = Strategy.parse("gradual").plan(GROUPS, o);
        assertThat(gradual.stages()).hasSize(8);
        assertThat(gradual.stages().get(1).boundary()).isEqualTo(6);
        assertThat(gradual.stages().get(7).boundary()).isZero();
    }

    @Test
    void backboneLearnsTenTimesSlowerThanTheHeadWithOptionalLayerDecay() {
        TrainingOptions d = TrainingOptions.defaults();
        TrainingOptions decayed = TrainingOptions.defaults().toBuilder().discriminative(0.5, 10, 0.8)
                .schedule(new Schedule("constant", 0)).headStage(0, 10).epochs(3).patience(1).batchSize(16).build();
        FineTunePlan plan = Strategy.parse("partial:3").plan(GROUPS, decayed);
        Stage stage = plan.stages().get(0);
        assertThat(stage.groups().get(7).lrMultiplier()).isEqualTo(d.fineTuneFactor());
        assertThat(stage.groups().get(6).lrMultiplier()).isCloseTo(0.05, within(1e-12));
        assertThat(stage.groups().get(5).lrMultiplier()).isCloseTo(0.05 * 0.8, within(1e-12));
        assertThat(stage.groups().get(4).lrMultiplier()).isCloseTo(0.05 * 0.64, within(1e-12));
        assertThat(plan.learningRate(0, 5, 123, 1000, 100)).isCloseTo(1e-3 * 0.04, within(1e-15));
    }

    @Test
    void learningRateIsMultiplierTimesSchedule() {
        FineTunePlan plan = Strategy.parse("two-stage").plan(GROUPS, TrainingOptions.defaults());
        long total = 300;
        long perEpoch = 100;
        for (long step : new long[] {0, 10, 29, 30, 150, 299}) {
            double schedule = plan.schedule().factor(step, total, perEpoch);
            assertThat(plan.learningRate(1, 7, step, total, perEpoch)).isCloseTo(1e-3 * 0.5 * schedule, within(1e-15));
            assertThat(plan.learningRate(1, 3, step, total, perEpoch)).isCloseTo(1e-3 * 0.05 * schedule, within(1e-15));
            assertThat(plan.learningRate(0, 3, step, total, perEpoch)).isZero();
        }
    }

    @Test
    void schedulesHaveTheirShapes() {
        Schedule cosine = Schedule.defaults();
        assertThat(cosine.factor(0, 1000, 500)).isCloseTo(1.0 / 101, within(1e-9));
        assertThat(cosine.factor(100, 1000, 500)).isCloseTo(1.0, within(1e-9));
        assertThat(cosine.factor(999, 1000, 500)).isCloseTo(0.01, within(1e-9));
        assertThat(cosine.factor(0, 100_000, 50)).isCloseTo(1.0 / 51, within(1e-9));
        assertThat(cosine.factor(50, 100_000, 50)).isCloseTo(1.0, within(1e-6));
        Schedule oneCycle = new Schedule("one-cycle", 0);
        assertThat(oneCycle.factor(0, 1001, 100)).isCloseTo(0.04, within(1e-9));
        assertThat(oneCycle.factor(300, 1001, 100)).isCloseTo(1.0, within(1e-9));
        assertThat(oneCycle.factor(1000, 1001, 100)).isCloseTo(0.0004, within(1e-9));
        assertThat(new Schedule("constant", 0).factor(77, 100, 10)).isEqualTo(1.0);
    }

    @Test
    void badStrategiesAreRefusedWithTheFix() {
        assertThatThrownBy(() -> Strategy.parse("partial")).isInstanceOf(GraftException.class).hasMessageContaining("partial:2");
        assertThatThrownBy(() -> Strategy.parse("partial:x")).hasMessageContaining("number of blocks");
        assertThatThrownBy(() -> Strategy.parse("adapterx")).hasMessageContaining("available");
        assertThatThrownBy(() -> Strategy.parse("partial:9").plan(GROUPS, TrainingOptions.defaults()))
                .hasMessageContaining("7 layer groups");
        assertThatThrownBy(() -> new Schedule("linear", 0.1)).hasMessageContaining("warmup-cosine");
    }

    @Test
    void oneOptionsRecordServesEveryStrategyWithItsOwnAutomaticBudgets() {
        TrainingOptions defaults = TrainingOptions.defaults();
        FineTunePlan head = Strategy.parse("feature-extraction").plan(GROUPS, defaults);
        assertThat(head.stages().get(0).end()).isEqualTo(new StageEnd(0, 10));
        assertThat(head.batchSize()).isEqualTo(32);
        FineTunePlan twoStage = Strategy.parse("two-stage").plan(GROUPS, defaults);
        assertThat(twoStage.stages().get(0).end()).isEqualTo(new StageEnd(0, TrainingOptions.HEAD_STAGE_PATIENCE));
        assertThat(twoStage.stages().get(1).end()).isEqualTo(new StageEnd(3, 1));
        assertThat(twoStage.batchSize()).isEqualTo(16);

        TrainingOptions five = defaults.toBuilder().epochs(5).patience(2).batchSize(8).build();
        assertThat(Strategy.parse("feature-extraction").plan(GROUPS, five).stages().get(0).end()).isEqualTo(new StageEnd(5, 2));
        assertThat(Strategy.parse("feature-extraction").plan(GROUPS, five).batchSize()).isEqualTo(8);
        assertThat(Strategy.parse("full").plan(GROUPS, five).stages().get(0).end()).isEqualTo(new StageEnd(5, 2));
        assertThat(Strategy.parse("full").plan(GROUPS, five).batchSize()).isEqualTo(8);
        assertThat(five.toBuilder().build()).isEqualTo(five);
    }

    @Test
    void badTrainingOptionsAreRefusedInDomainTerms() {
        assertThatThrownBy(() -> TrainingOptions.defaults().toBuilder().learningRate(0).build())
                .isInstanceOf(GraftException.class).hasMessage("learning rate 0.0 is out of range; try 1e-3");
        assertThatThrownBy(() -> TrainingOptions.defaults().withEpochs(-1))
                .hasMessage("number of epochs -1 is out of range; use 1 to 100000, or 0 for automatic");
        assertThatThrownBy(() -> TrainingOptions.defaults().toBuilder().discriminative(0.5, 0.5, 1).build())
                .hasMessageStartingWith("head-to-backbone learning-rate ratio 0.5 must be at least 1");
    }
}
