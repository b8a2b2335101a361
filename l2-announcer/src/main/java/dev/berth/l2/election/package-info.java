/**
 * Decides which node answers for each LoadBalancer IP without any lock, lease or message: every node ranks the
 * eligible nodes by a hash of (node, IP) and the first wins, so nodes that see the same membership view agree.
 *
 * <p>Flow: membership gives the live nodes; the appliance narrows them per IP (L2Advertisement node selectors,
 * Node Ready, endpoints for {@code externalTrafficPolicy: Local}); {@link dev.berth.l2.election.Election} picks
 * the owner of each IP; the IPs this node owns go to {@link dev.berth.l2.announce.Announcer#announce}.
 */
package dev.berth.l2.election;
