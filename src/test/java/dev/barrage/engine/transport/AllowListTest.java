package dev.barrage.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AllowListTest {

    private static final AllowList DEFAULTS = new AllowList(List.of("localhost", "127.0.0.0/8", "::1"));
    private static final AllowList STAGING = new AllowList(List.of("api.example.com", "*.staging.example.com", "10.20.0.0/16", "fd00::/8"));

    @ParameterizedTest(name = "{0} at {1}: {2}")
    @CsvSource({
            "localhost, 127.0.0.1, true",
            "localhost, ::1, true",
            "127.0.0.1, 127.0.0.1, true",
            "127.9.9.9, 127.9.9.9, true",
            "::1, ::1, true",
            "0.0.0.0, 0.0.0.0, false",
            "10.0.0.1, 10.0.0.1, false",
            "example.com, 93.184.215.14, false",
            "localhost.evil.com, 127.0.0.1, true",
            "evil.com, 8.8.8.8, false",
            "metadata, 169.254.169.254, false",
            "::ffff:127.0.0.1, ::ffff:127.0.0.1, true",
    })
    void theDefaultsAllowLoopbackOnly(String host, String address, boolean allowed) throws Exception {
        assertThat(DEFAULTS.allows(host, InetAddress.getByName(address))).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} at {1}: {2}")
    @CsvSource({
            "api.example.com, 203.0.113.7, true",
            "API.Example.COM., 203.0.113.7, true",
            "other.example.com, 203.0.113.7, false",
            "a.staging.example.com, 198.51.100.1, true",
            "a.b.staging.example.com, 198.51.100.1, true",
            "staging.example.com, 198.51.100.1, false",
            "evilstaging.example.com, 198.51.100.1, false",
            "anything, 10.20.3.4, true",
            "anything, 10.21.3.4, false",
            "10.20.255.255, 10.20.255.255, true",
            "anything, fd12::1, true",
            "api.example.com, 169.254.169.254, false",
            "a.staging.example.com, fe80::1, false",
            "api.example.com, ::ffff:169.254.169.254, false",
    })
    void namesWildcardsAndNetworksButNeverLinkLocalUnlessListed(String host, String address, boolean allowed) throws Exception {
        assertThat(STAGING.allows(host, InetAddress.getByName(address))).isEqualTo(allowed);
    }

    @Test
    void linkLocalIsAllowedWhenListedExplicitly() throws Exception {
        AllowList metadata = new AllowList(List.of("169.254.169.254"));

        assertThat(metadata.allows("169.254.169.254", InetAddress.getByName("169.254.169.254"))).isTrue();
        assertThat(metadata.allows("169.254.169.253", InetAddress.getByName("169.254.169.253"))).isFalse();
    }

    @Test
    void oneLoopbackAddressDoesNotAllowAnother() throws Exception {
        AllowList one = new AllowList(List.of("127.0.0.1"));

        assertThat(one.allows("127.0.0.1", InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(one.allows("127.0.0.2", InetAddress.getByName("127.0.0.2"))).isFalse();
    }

    @Test
    void entriesThatAreNeitherNamesNorAddressesAreRefused() {
        for (String bad : List.of("http://x", "10.0.0.0/33", "::1/129", "*.", "a b", "1.2.3.4/x", "10.0.0.0/-1")) {
            assertThatThrownBy(() -> new AllowList(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
    }
}
