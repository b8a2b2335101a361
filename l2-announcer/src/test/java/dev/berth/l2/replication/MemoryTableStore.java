package dev.berth.l2.replication;

/** A member's kept table, in memory; counts what was kept so tests can tell a replaced table from an untouched one. */
final class MemoryTableStore implements TableStore {
    private volatile AllocationTable kept;
    volatile int keeps;

    MemoryTableStore(AllocationTable initial) {
        this.kept = initial;
    }

    @Override
    public AllocationTable table() {
        return kept;
    }

    @Override
    public void keep(AllocationTable table) {
        kept = table;
        keeps++;
    }
}
