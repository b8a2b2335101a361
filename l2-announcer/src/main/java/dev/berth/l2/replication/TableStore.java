package dev.berth.l2.replication;

/**
 * Where a member keeps the table it holds, durably: the appliance's state file. {@link #keep} returns only once the
 * table would survive a crash, so a member never acknowledges (or allocates from) a table it could lose.
 */
public interface TableStore {

    /** The table kept before this process started ({@link AllocationTable#EMPTY} if none). */
    AllocationTable table();

    /** Replaces the kept table, durably. */
    void keep(AllocationTable table);
}
