/**
 * Tells every node which appliance nodes are alive, so that election can run on the same view everywhere: a small
 * {@link dev.berth.l2.membership.Membership} interface over JGroups, whose failure detectors notice a killed
 * process (its socket closes) and a silent one (heartbeats stop) within a second.
 *
 * <p>Flow: the appliance starts {@link dev.berth.l2.membership.JGroupsMembership} from
 * {@link dev.berth.l2.membership.MembershipSettings}; every new view goes to its {@code onChange} listener, which
 * recomputes the owned IPs with {@link dev.berth.l2.election.Election} and hands them to the announcer. The same
 * channel carries {@link dev.berth.l2.membership.Messaging}, over which standalone nodes replicate their allocation
 * table ({@link dev.berth.l2.replication}). Members find each other by a static list, by multicast on the LAN, or by
 * a list that changes (the pods of Berth's DaemonSet, which the appliance reads from the Kubernetes API).
 */
package dev.berth.l2.membership;
