package dev.barrage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import org.junit.jupiter.api.Test;

/** The member count behind {@code load_tester_cluster_members} and the cluster health component. */
class ClusterMembersTest {

    @Test
    void aStandaloneNodeCountsItself() {
        assertThat(ClusterConfig.members(null)).isEqualTo(1);
    }

    @Test
    void aStoppedMemberCountsNone() {
        HazelcastInstance member = mock(HazelcastInstance.class, RETURNS_DEEP_STUBS);
        when(member.getLifecycleService().isRunning()).thenReturn(false);

        assertThat(ClusterConfig.members(member)).isZero();
    }

    @Test
    void aMemberThatStopsBetweenTheCheckAndTheCountCountsNoneInsteadOfFailingTheScrape() {
        HazelcastInstance member = mock(HazelcastInstance.class, RETURNS_DEEP_STUBS);
        when(member.getLifecycleService().isRunning()).thenReturn(true);
        when(member.getCluster()).thenThrow(new HazelcastInstanceNotActiveException());

        assertThat(ClusterConfig.members(member)).isZero();
    }
}
