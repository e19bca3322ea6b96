package dev.barrage.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import dev.barrage.runs.ClusterGateway;
import dev.barrage.runs.DistributedView;
import dev.barrage.runs.NodeShipment;
import dev.barrage.runs.OnNodeLoss;
import dev.barrage.runs.Run;
import dev.barrage.runs.RunService;
import dev.barrage.runs.TestDefinition;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Distributed runs on Hazelcast. The node that receives a test coordinates it: it writes the run's
 * {@link RunRecord}, has every generator prepare its share ({@link ShareTask} through the executor
 * service), then sets one start instant a little ahead by the cluster clock. Generators ship each
 * closed interval to the IMap {@code barrage-shipments} under run/generator/message; every node merges
 * every distributed run it knows from there ({@link DistributedView}), so any node answers for it.
 * Membership events mark a generator that left as lost (its messages up to the last one in the map
 * count); a lost coordinator's runs are adopted by the oldest member left.
 *
 * <p>Thread-safety: one poller thread merges; launches run on their own thread; Hazelcast's threads
 * deliver membership and entry events and run tasks. Shared state is the concurrent map of tracked
 * runs; each view synchronizes itself.
 */
public final class ClusterRuns implements ClusterGateway, AutoCloseable {

    static final String USER_CONTEXT_KEY = "barrage.clusterRuns";
    static final String RUNS = "barrage-runs";
    static final String SHIPMENTS = "barrage-shipments";
    private static final Logger log = LoggerFactory.getLogger(ClusterRuns.class);
    private static final long PREPARE_WAIT_MILLIS = 30_000;
    private static final long POLL_MILLIS = 200;
    private static final int MESSAGES_PER_POLL = 64;
    /** How long an ended run's shipments stay, so that every node reads them before they go. */
    private static final long KEEP_ENDED_MILLIS = 60_000;
    /**
     * Shipments kept behind the newest merged one, per generator: every node merges within a second
     * of a shipment's arrival, so older ones are deleted as the run goes (the map stays small on a
     * long run with many steps). A node that joins later than this into a run does not show it.
     */
    private static final long KEEP_MESSAGES = 60;
    private static final int PRUNES_PER_POLL = 200;

    private final HazelcastInstance hazelcast;
    private final String localMember;
    private final RunService runs;
    private final JsonMapper json;
    private final long startLeadMillis;
    /** A generator that ships nothing for this long (it ships every second) is lost, whether or not it is a member. */
    private final long silenceLimitNanos;
    private final IMap<String, RunRecord> records;
    private final IMap<String, NodeShipment> shipments;
    private final IExecutorService executor;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("barrage-cluster-poller").daemon().factory());
    private final ExecutorService launcher = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("barrage-cluster-launch-", 0).daemon().factory());

    /** A distributed run this node shows, and its merge. */
    private static final class Tracked {
        final Run run;
        final DistributedView view;
        /** Per generator (index g - 1): the shipments up to this message are deleted. Poller thread only. */
        final long[] prunedUpTo;
        volatile boolean started;
        volatile long startNanos;

        Tracked(Run run, DistributedView view) {
            this.run = run;
            this.view = view;
            this.prunedUpTo = new long[view.generators()];
        }
    }

    public ClusterRuns(HazelcastInstance hazelcast, RunService runs, JsonMapper json, ClusterTiming timing) {
        this.hazelcast = hazelcast;
        this.startLeadMillis = timing.startLead().toMillis();
        this.silenceLimitNanos = timing.silenceLimit().toNanos();
        this.localMember = addressOf(hazelcast.getCluster().getLocalMember());
        this.runs = runs;
        this.json = json;
        this.records = hazelcast.getMap(RUNS);
        this.shipments = hazelcast.getMap(SHIPMENTS);
        this.executor = hazelcast.getExecutorService("barrage");
        records.addEntryListener((EntryAddedListener<String, RunRecord>) event -> track(event.getValue()), true);
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                launcher.execute(() -> memberLeft(event.getMember()));
            }
        });
        for (RunRecord record : records.values()) {
            track(record); // runs already going when this node joined
        }
        hazelcast.getUserContext().put(USER_CONTEXT_KEY, this);
        runs.attach(this);
        poller.scheduleWithFixedDelay(this::pollSafely, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public int members() {
        return hazelcast.getLifecycleService().isRunning() ? hazelcast.getCluster().getMembers().size() : 1;
    }

    @Override
    public void launch(Run run) {
        launcher.execute(() -> {
            try {
                coordinate(run);
            } catch (RuntimeException e) {
                log.error("Run {} could not be launched on the cluster", run.id(), e);
                records.executeOnKey(run.id(), RecordUpdate.failBeforeStart("the coordinator failed: " + e));
                runs.failDistributed(run, "the coordinator failed: " + e, true);
            }
        });
    }

    /** Read once: a scrape asks for it, and must not fail once the member has stopped. */
    @Override
    public String localMember() {
        return localMember;
    }

    @Override
    public Optional<Run> find(String id) {
        if (!hazelcast.getLifecycleService().isRunning()) {
            return Optional.empty();
        }
        RunRecord record = records.get(id);
        return record == null ? Optional.empty() : Optional.ofNullable(track(record)).map(t -> t.run);
    }

    // ---- the coordinator ----

    @Override
    public void announce(Run run) {
        Member self = hazelcast.getCluster().getLocalMember();
        List<Member> members = new ArrayList<>(hazelcast.getCluster().getMembers());
        members.remove(self);
        members.addFirst(self);
        int count = run.definition().generators().resolve(members.size());
        List<Member> chosen = members.subList(0, Math.min(count, members.size()));
        RunRecord record = new RunRecord(run.id(), json.writeValueAsString(run.definition()), run.createdAt().toEpochMilli(),
                self.getUuid().toString(), addressOf(self), chosen.stream().map(m -> m.getUuid().toString()).toList(),
                chosen.stream().map(ClusterRuns::addressOf).toList(), 0, false,
                count > members.size() ? count + " generators were asked for, but the cluster had " + members.size()
                        + " members" : null, Map.of(), false);
        records.set(run.id(), record);
        track(record);
    }

    @Override
    public void cancel(Run run) {
        cancelEverywhere(run.id());
    }

    private void coordinate(Run run) {
        RunRecord record = records.get(run.id());
        if (record == null || record.failedBeforeStart() != null || record.cancelRequested()) {
            return; // ended before its turn came: every node's poller ends it
        }
        int count = record.generators();
        List<Member> chosen = new ArrayList<>();
        for (int g = 1; g <= count; g++) {
            Member member = memberWithUuid(record.generatorUuids().get(g - 1));
            if (member == null) {
                records.executeOnKey(run.id(), RecordUpdate.failBeforeStart("generator " + g + " of " + count + " ("
                        + record.generatorAddresses().get(g - 1) + ") left the cluster before the start"));
                return;
            }
            chosen.add(member);
        }
        List<Future<String>> answers = new ArrayList<>();
        for (int g = 1; g <= count; g++) {
            answers.add(executor.submitToMember(ShareTask.prepare(run.id(), g), chosen.get(g - 1)));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PREPARE_WAIT_MILLIS);
        String problem = null;
        for (int g = 1; g <= count && problem == null; g++) {
            String who = "generator " + g + " of " + count + " (" + addressOf(chosen.get(g - 1)) + ")";
            try {
                String answer = answers.get(g - 1).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (answer != null) {
                    problem = who + " cannot run its share: " + answer;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problem = "the coordinator was interrupted while " + who + " prepared";
            } catch (Exception e) {
                problem = who + " did not prepare: " + rootMessage(e);
            }
        }
        if (problem != null) {
            records.executeOnKey(run.id(), RecordUpdate.failBeforeStart(problem));
            cancelShares(record);
            return; // every node's poller sees the failure and ends the run there
        }
        long startAt = hazelcast.getCluster().getClusterTime() + startLeadMillis;
        RunRecord starting = records.executeOnKey(run.id(), RecordUpdate.startAt(startAt));
        if (starting == null || starting.startAtClusterMillis() != startAt) {
            cancelShares(record); // cancelled (or failed) while it prepared: the record says which
            return;
        }
        for (Member member : chosen) {
            executor.submitToMember(ShareTask.start(run.id(), startAt), member);
        }
    }

    private void cancelEverywhere(String id) {
        RunRecord record = records.executeOnKey(id, RecordUpdate.cancel());
        if (record == null) {
            return;
        }
        if (record.startAtClusterMillis() == 0) {
            records.executeOnKey(id, RecordUpdate.failBeforeStart("cancelled before it started"));
        }
        cancelShares(record);
    }

    private Member memberWithUuid(String uuid) {
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (member.getUuid().toString().equals(uuid)) {
                return member;
            }
        }
        return null;
    }

    private void cancelShares(RunRecord record) {
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (record.generatorOf(member.getUuid().toString()) > 0) {
                executor.submitToMember(ShareTask.cancel(record.id()), member);
            }
        }
    }

    /**
     * A member left: the coordinator of each run it generated for marks it lost (after the last of its
     * messages in the map) and, under abort, stops the others; the runs it coordinated are adopted by
     * the oldest member left.
     */
    private void memberLeft(Member gone) {
        String goneUuid = gone.getUuid().toString();
        Member self = hazelcast.getCluster().getLocalMember();
        boolean oldest = hazelcast.getCluster().getMembers().iterator().next().equals(self);
        for (Tracked each : tracked.values()) {
            RunRecord record = records.get(each.run.id());
            if (record == null) {
                continue;
            }
            if (record.coordinatorUuid().equals(goneUuid) && oldest) {
                record = records.executeOnKey(record.id(), RecordUpdate.adopt(self.getUuid().toString(), addressOf(self)));
                log.warn("Run {}: its coordinator {} left; this node coordinates it now", record.id(), addressOf(gone));
                if (record.startAtClusterMillis() == 0 && record.failedBeforeStart() == null) {
                    records.executeOnKey(record.id(), RecordUpdate.failBeforeStart(
                            "its coordinator " + addressOf(gone) + " left the cluster before the start"));
                    cancelShares(record);
                    continue;
                }
            }
            if (!record.coordinatorUuid().equals(self.getUuid().toString())) {
                continue;
            }
            int generator = record.generatorOf(goneUuid);
            if (generator > 0 && !each.view.done(generator)) {
                declareLost(record, each, generator, "left the cluster");
            }
        }
    }

    /**
     * Marks generator {@code generator} lost after the last of its messages in the map (unless that one
     * is its last: then it finished) and stops its share, if its node still runs it; under abort the
     * other generators stop too.
     */
    private void declareLost(RunRecord record, Tracked each, int generator, String why) {
        long last = lastMessageInMap(record.id(), generator, each.view.nextMessage(generator));
        if (last > 0) {
            NodeShipment lastStored = shipments.get(key(record.id(), generator, last));
            if (lastStored != null && lastStored.last()) {
                return; // it finished its share before it went
            }
        }
        boolean abort = each.run.definition().onNodeLoss() != OnNodeLoss.CONTINUE;
        RunRecord lost = records.executeOnKey(record.id(), RecordUpdate.lose(generator, last, abort));
        log.warn("Run {}: generator {} ({}) {} after its message {}; onNodeLoss {}", record.id(), generator,
                record.generatorAddresses().get(generator - 1), why, last, abort ? "abort" : "continue");
        if (lost == null) {
            return;
        }
        if (abort) {
            cancelShares(lost);
        } else {
            Member silent = memberWithUuid(record.generatorUuids().get(generator - 1));
            if (silent != null) {
                executor.submitToMember(ShareTask.cancel(record.id()), silent); // what it sends now would not count
            }
        }
    }

    /** Deletes each generator's shipments that every node has merged long ago. */
    private void prune(Tracked each) {
        int budget = PRUNES_PER_POLL;
        for (int g = 1; g <= each.view.generators() && budget > 0; g++) {
            long upTo = each.view.nextMessage(g) - 1 - KEEP_MESSAGES;
            while (each.prunedUpTo[g - 1] < upTo && budget-- > 0) {
                shipments.delete(key(each.run.id(), g, ++each.prunedUpTo[g - 1]));
            }
        }
    }

    private long lastMessageInMap(String id, int generator, long from) {
        long last = from - 1;
        while (shipments.containsKey(key(id, generator, last + 1))) {
            last++;
        }
        return last;
    }

    // ---- a generator ----

    String prepareHere(String id, int generator) {
        RunRecord record = records.get(id);
        if (record == null) {
            return "the run is not in the cluster any more";
        }
        Tracked here = track(record);
        if (here == null) {
            return "its definition could not be read here";
        }
        return runs.prepareShare(here.run, generator, record.generators(), (runId, shipment) ->
                shipments.setAsync(key(runId, shipment.generator(), shipment.message()), shipment)
                        .whenComplete((ignored, failure) -> {
                            if (failure != null) { // sent again from the poller: the same key, the same message
                                log.warn("Run {}: message {} not stored ({}); sending it again", runId, shipment.message(),
                                        failure.toString());
                                poller.execute(() -> shipments.set(key(runId, shipment.generator(), shipment.message()), shipment));
                            }
                        }));
    }

    String startHere(String id, long startAtClusterMillis) {
        long startNanos = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(startAtClusterMillis - hazelcast.getCluster().getClusterTime());
        return runs.startShare(id, startNanos) ? null : "no share of this run is prepared here";
    }

    String cancelHere(String id) {
        runs.cancelShare(id);
        return null;
    }

    // ---- every node: the merge ----

    private Tracked track(RunRecord record) {
        Tracked known = tracked.get(record.id());
        if (known != null) {
            return known;
        }
        if (record.startAtClusterMillis() != 0 && record.generators() > 0 && !shipments.containsKey(key(record.id(), 1, 1))
                && shipments.containsKey(key(record.id(), 1, KEEP_MESSAGES))) {
            log.info("Run {} started long before this node knew of it: its first seconds are gone, so it is not shown here",
                    record.id());
            return null;
        }
        TestDefinition definition;
        try {
            definition = json.readValue(record.definitionJson(), TestDefinition.class);
        } catch (RuntimeException e) {
            log.error("Run {}: its definition could not be read here", record.id(), e);
            return null;
        }
        return tracked.computeIfAbsent(record.id(), id -> {
            Run run = runs.mirror(id, definition, Instant.ofEpochMilli(record.createdAtMillis()));
            return new Tracked(run, runs.viewOf(run, record.generatorAddresses()));
        });
    }

    private void pollSafely() {
        for (Tracked each : tracked.values()) {
            try {
                poll(each);
            } catch (RuntimeException e) {
                if (!hazelcast.getLifecycleService().isRunning()) {
                    return;
                }
                log.warn("Run {}: merging failed this time: {}", each.run.id(), e.toString());
            }
        }
    }

    private void poll(Tracked each) {
        String id = each.run.id();
        RunRecord record = records.get(id);
        if (record == null || each.run.state().status().isFinal()) {
            tracked.remove(id);
            return;
        }
        if (record.failedBeforeStart() != null && record.startAtClusterMillis() == 0) {
            tracked.remove(id);
            if (record.cancelRequested()) {
                runs.cancelledBeforeStart(each.run, isSelf(record.coordinatorUuid()));
            } else {
                runs.failDistributed(each.run, record.failedBeforeStart(), isSelf(record.coordinatorUuid()));
            }
            if (isSelf(record.coordinatorUuid())) {
                cleanUpLater(record, each);
            }
            return;
        }
        if (!each.started && record.startAtClusterMillis() != 0) {
            each.started = true;
            long startNanos = System.nanoTime()
                    + TimeUnit.MILLISECONDS.toNanos(record.startAtClusterMillis() - hazelcast.getCluster().getClusterTime());
            each.startNanos = startNanos;
            runs.distributedStarted(each.run, Instant.ofEpochMilli(record.startAtClusterMillis()), startNanos,
                    () -> cancelEverywhere(id), isSelf(record.coordinatorUuid()));
        }
        DistributedView view = each.view;
        for (int g = 1; g <= view.generators(); g++) {
            Long lastCounted = record.lost().get(g);
            for (int read = 0; read < MESSAGES_PER_POLL && !view.done(g); read++) {
                long next = view.nextMessage(g);
                if (lastCounted != null && next > lastCounted) {
                    view.lose(g);
                    break;
                }
                NodeShipment shipment = shipments.get(key(id, g, next));
                if (shipment == null) {
                    break;
                }
                view.offer(shipment, System.nanoTime());
            }
        }
        String self = hazelcast.getCluster().getLocalMember().getUuid().toString();
        if (record.coordinatorUuid().equals(self)) {
            if (!record.cancelRequested()) {
                markStoppedEarly(record, view);
            }
            if (each.started) {
                for (int g : view.silent(System.nanoTime(), each.startNanos, silenceLimitNanos)) {
                    if (!record.lost().containsKey(g)) {
                        declareLost(record, each, g, "shipped nothing for " + silenceSeconds() + " s");
                    }
                }
            }
            prune(each);
        }
        view.advance(record.coordinatorAddress());
        if (view.complete()) {
            RunRecord latest = records.get(id); // after the last messages: a cancel or loss set before them is in it
            RunRecord decided = latest != null ? latest : record;
            if (decided.coordinatorUuid().equals(self) && !decided.cancelRequested() && markStoppedEarly(decided, view)) {
                return; // decided now: every node ends it on its next poll, with the loss in the record
            }
            tracked.remove(id);
            runs.finishDistributed(each.run, view.ending(decided.coordinatorAddress(), decided.cancelRequested(),
                    decided.lost().keySet()), isSelf(decided.coordinatorUuid()));
            if (decided.coordinatorUuid().equals(hazelcast.getCluster().getLocalMember().getUuid().toString())) {
                cleanUpLater(decided, each);
            }
        }
    }

    /**
     * A generator whose share ended cancelled although the run was not (its node shut down) is lost
     * as one that left: under abort the others stop. Answers whether it marked one.
     */
    private boolean markStoppedEarly(RunRecord record, DistributedView view) {
        if (record.aborted()) {
            return false; // the others were stopped on purpose
        }
        boolean marked = false;
        for (int g = 1; g <= view.generators(); g++) {
            if (view.stoppedEarly(g) && !record.lost().containsKey(g)) {
                boolean abort = view.run().definition().onNodeLoss() != OnNodeLoss.CONTINUE;
                RunRecord lost = records.executeOnKey(record.id(), RecordUpdate.loseUnlessStopped(g, view.nextMessage(g) - 1, abort));
                if (lost == null || !lost.lost().containsKey(g)) {
                    continue; // aborted or cancelled since this poll read the record: stopped on purpose
                }
                log.warn("Run {}: generator {} ({}) stopped its share before the end; onNodeLoss {}", record.id(), g,
                        view.member(g), abort ? "abort" : "continue");
                if (abort && !lost.cancelRequested()) {
                    cancelShares(lost);
                }
                marked = true;
            }
        }
        return marked;
    }

    /** Removes an ended run's record and shipments once every node has had time to read them. */
    private void cleanUpLater(RunRecord record, Tracked each) {
        poller.schedule(() -> {
            try {
                for (int g = 1; g <= record.generators(); g++) {
                    long message = each.prunedUpTo[g - 1] + 1;
                    while (message < each.view.nextMessage(g) || shipments.containsKey(key(record.id(), g, message))) {
                        shipments.delete(key(record.id(), g, message++));
                    }
                }
                records.delete(record.id());
            } catch (RuntimeException e) {
                log.warn("Run {}: its cluster records could not be removed: {}", record.id(), e.toString());
            }
        }, KEEP_ENDED_MILLIS, TimeUnit.MILLISECONDS);
    }

    private boolean isSelf(String uuid) {
        return hazelcast.getCluster().getLocalMember().getUuid().toString().equals(uuid);
    }

    static String key(String runId, int generator, long message) {
        return runId + "/" + generator + "/" + message;
    }

    private static String addressOf(Member member) {
        return member.getAddress().getHost() + ":" + member.getAddress().getPort();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    @Override
    public void close() {
        runs.attach(ClusterGateway.STANDALONE);
        hazelcast.getUserContext().remove(USER_CONTEXT_KEY);
        poller.shutdownNow();
        launcher.shutdownNow();
    }

    private String silenceSeconds() {
        return BigDecimal.valueOf(silenceLimitNanos, 9).stripTrailingZeros().toPlainString();
    }
}
