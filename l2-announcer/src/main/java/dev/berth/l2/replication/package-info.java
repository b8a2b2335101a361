/**
 * One allocation table for several standalone nodes: the group's coordinator allocates, and the table it records
 * travels whole to every member, which keeps it on disk, so that a new coordinator continues from it and no IP moves.
 *
 * <p>Pure parts: {@link dev.berth.l2.replication.TableVersion} (a version vector: which coordinator published how
 * many tables), {@link dev.berth.l2.replication.AllocationTable}, {@link dev.berth.l2.replication.TableMerge} (how the
 * tables of two halves of a healed partition become one) and {@link dev.berth.l2.replication.TableCodec}. The protocol
 * is {@link dev.berth.l2.replication.TableReplication}, over the membership's messages.
 */
package dev.berth.l2.replication;
