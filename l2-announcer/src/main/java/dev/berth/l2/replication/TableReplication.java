package dev.berth.l2.replication;

import static java.util.Objects.requireNonNull;

import dev.berth.l2.allocator.Allocation;
import dev.berth.l2.membership.Messaging;
import dev.berth.l2.replication.TableCodec.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Several standalone nodes, one allocation table. The coordinator of the JGroups view is the one allocator
 * ({@link #mayAllocate}); each table it settles goes whole to every member ({@link #publish}), and each member keeps
 * it in its {@link TableStore} before it acts on it, so that whichever member becomes coordinator next continues from
 * the same table and no IP moves.
 *
 * <p>On every new view each member reports its table to the coordinator, which allocates only once it has heard from
 * every member (or after {@link #REPORT_WAIT}, by default): a joiner's table is usually stale and ignored, while after a healed
 * partition the two halves' tables are concurrent and {@linkplain TableMerge merged} — every IP that clients use is
 * kept where that is possible, no IP goes to two Services, and each choice is logged as a conflict. The coordinator
 * then sends its table to all, which is also how a joiner gets it. A member refuses a table that does not cover its
 * own (it reports its own instead, to be merged), so no member ever goes back to an older table.
 *
 * <p>Threads: views and messages arrive on the membership's event thread; {@code onChange} (the address plane's
 * reconcile) runs on a thread of this class, never on that one, so a long reconcile does not hold up views.
 */
public final class TableReplication implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TableReplication.class.getName());
    /** Reports come back in milliseconds on a LAN; a member that says nothing for this long is not waited for. */
    public static final Duration REPORT_WAIT = Duration.ofSeconds(2);

    private final String self;
    private final Messaging group;
    private final TableStore store;
    private final Runnable onChange;
    private final ScheduledExecutorService worker;
    private final Duration reportWait;
    private AllocationTable table;
    private String coordinator = "";
    private long view;
    private final Set<String> waitingFor = new HashSet<>();
    private final Map<String, AllocationTable> reports = new LinkedHashMap<>();
    private boolean settled;
    private List<TableMerge.Conflict> conflicts = List.of();

    /**
     * Starts from the table the store kept and follows the group's views from now on.
     *
     * @param onChange called whenever the table or this node's role changed: the address plane reconciles again
     */
    public TableReplication(String self, Messaging group, TableStore store, Runnable onChange) {
        this(self, group, store, onChange, REPORT_WAIT);
    }

    /** @param reportWait how long a new coordinator waits for the members' reports before it allocates anyway */
    public TableReplication(String self, Messaging group, TableStore store, Runnable onChange, Duration reportWait) {
        this.reportWait = requireNonNull(reportWait, "reportWait");
        this.self = requireNonNull(self, "self");
        this.group = requireNonNull(group, "group");
        this.store = requireNonNull(store, "store");
        this.onChange = requireNonNull(onChange, "onChange");
        this.table = store.table();
        this.worker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("berth-replication").daemon().factory());
        group.onMessage(this::received);
        group.onView(this::viewed);
    }

    /** The table this node holds now. */
    public synchronized AllocationTable table() {
        return table;
    }

    /** Whether this node is the coordinator and has heard every member of its view: the one that allocates. */
    public synchronized boolean mayAllocate() {
        return settled && self.equals(coordinator);
    }

    /** What the last merge had to choose, for the admin API and the log. */
    public synchronized List<TableMerge.Conflict> conflicts() {
        return conflicts;
    }

    /**
     * Records the coordinator's settled allocations: kept, then sent to every member. Ignored (and said so) when this
     * node is no longer the allocator: the reconcile that the role change caused starts from the group's table.
     */
    public synchronized void publish(List<Allocation> allocations) {
        if (!mayAllocate()) {
            LOG.log(System.Logger.Level.INFO, "not recorded: " + self + " does not allocate now (coordinator " + coordinator + ")");
            return;
        }
        AllocationTable next = new AllocationTable(table.version(), allocations);
        if (next.sameAllocations(table)) {
            return;
        }
        table = table.next(self, allocations);
        store.keep(table);
        group.sendToAll(TableCodec.encode(Kind.TABLE, table));
    }

    private void viewed(List<String> members) {
        synchronized (this) {
            if (members.isEmpty()) {
                return;
            }
            view++;
            coordinator = members.getFirst();
            reports.clear();
            waitingFor.clear();
            if (self.equals(coordinator)) {
                waitingFor.addAll(members.subList(1, members.size()));
                settled = waitingFor.isEmpty();
                if (!settled) {
                    long thisView = view;
                    schedule(() -> reportsOverdue(thisView), reportWait);
                }
            } else {
                settled = false;
                group.sendTo(coordinator, TableCodec.encode(Kind.REPORT, table));
            }
        }
        changed();
    }

    private void received(String sender, byte[] payload) {
        TableCodec.Message message;
        try {
            message = TableCodec.decode(payload);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "dropped a message from " + sender + ": " + e.getMessage());
            return;
        }
        boolean changed = switch (message.kind()) {
            case REPORT -> reported(sender, message.table());
            case TABLE -> offered(sender, message.table());
        };
        if (changed) {
            changed();
        }
    }

    private synchronized boolean reported(String sender, AllocationTable report) {
        if (!self.equals(coordinator)) {
            return false; // the sender's view differs from ours for a moment; its next view makes it report again
        }
        if (settled) {
            return resolve(List.of(report)); // late, or a member that refused our table: merge it now
        }
        reports.put(sender, report);
        waitingFor.remove(sender);
        return waitingFor.isEmpty() && resolve(List.copyOf(reports.values()));
    }

    private synchronized boolean offered(String sender, AllocationTable offered) {
        if (!sender.equals(coordinator) || self.equals(coordinator)) {
            return false; // only the coordinator's table counts; an old coordinator's also comes as a report
        }
        if (!offered.version().covers(table.version())) {
            // Concurrent with ours (we were apart) or older: the coordinator has to merge ours first.
            group.sendTo(coordinator, TableCodec.encode(Kind.REPORT, table));
            return false;
        }
        if (offered.equals(table)) {
            return false;
        }
        table = offered;
        store.keep(table);
        return true;
    }

    private synchronized void reportsOverdue(long thatView) {
        if (thatView == view && !settled) {
            LOG.log(System.Logger.Level.WARNING, "no table from " + waitingFor + " within " + reportWait.toMillis()
                    + " ms; allocating from the tables of the others");
            resolve(List.copyOf(reports.values()));
            changed();
        }
    }

    /** Merges the reports into our table, keeps and sends the result; true (always: we may allocate now). */
    private boolean resolve(List<AllocationTable> received) {
        List<AllocationTable> all = new ArrayList<>(received);
        all.add(table);
        TableMerge.Merged merged = TableMerge.merge(all, self);
        if (!merged.conflicts().isEmpty()) {
            conflicts = merged.conflicts();
            merged.conflicts().forEach(conflict -> LOG.log(System.Logger.Level.WARNING, conflict.service() + ": " + conflict.message()));
        }
        if (!merged.table().equals(table)) {
            LOG.log(System.Logger.Level.INFO, "table " + table.version() + " -> " + merged.table().version() + " from the members' reports");
            table = merged.table();
            store.keep(table);
        }
        settled = true;
        group.sendToAll(TableCodec.encode(Kind.TABLE, table));
        return true;
    }

    private void changed() {
        try {
            worker.execute(onChange);
        } catch (RejectedExecutionException e) {
            // closed: nothing to reconcile any more
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            worker.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
