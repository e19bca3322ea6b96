package dev.barrage.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class AotStartCheckTest {

    @Test
    void anAotProcessedStartWithTheActuatorOnAPortOfItsOwnFailsAndSaysHowToStartInstead() {
        MockEnvironment environment = new MockEnvironment().withProperty("management.server.port", "9091");

        assertThatIllegalStateException().isThrownBy(() -> AotStartCheck.check(environment, true))
                .withMessageContaining("management.server.port=9091")
                .withMessageContaining("without -Dspring.aot.enabled=true");
    }

    @Test
    void anAotProcessedStartWithTheActuatorSwitchedOffFailsToo() {
        MockEnvironment environment = new MockEnvironment().withProperty("management.server.port", "-1");

        assertThatIllegalStateException().isThrownBy(() -> AotStartCheck.check(environment, true));
    }

    @Test
    void theActuatorOnTheMainPortStartsEitherWay() {
        MockEnvironment none = new MockEnvironment();
        MockEnvironment samePort = new MockEnvironment().withProperty("server.port", "8080").withProperty("management.server.port", "8080");

        assertThatCode(() -> AotStartCheck.check(none, true)).doesNotThrowAnyException();
        assertThatCode(() -> AotStartCheck.check(samePort, true)).doesNotThrowAnyException();
    }

    @Test
    void aPlainStartTakesAnyManagementPort() {
        MockEnvironment environment = new MockEnvironment().withProperty("management.server.port", "9091");

        assertThatCode(() -> AotStartCheck.check(environment, false)).doesNotThrowAnyException();
    }
}
