package dev.berth.proxy.tcp;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The CIDRs of one TCP service whose connections start with a PROXY protocol header. Anyone else's header is
 * payload like any other bytes, so a client cannot choose the address an endpoint believes it has.
 */
final class TrustedProxies {
    static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<IpSubnetFilterRule> rules;

    private TrustedProxies(List<IpSubnetFilterRule> rules) {
        this.rules = rules;
    }

    /** @param cidrs already validated by {@link dev.berth.proxy.config.TcpService} */
    static TrustedProxies of(List<String> cidrs) {
        return cidrs.isEmpty() ? NONE : new TrustedProxies(cidrs.stream().map(TrustedProxies::rule).toList());
    }

    private static IpSubnetFilterRule rule(String cidr) {
        int slash = cidr.indexOf('/');
        return new IpSubnetFilterRule(cidr.substring(0, slash), Integer.parseInt(cidr.substring(slash + 1)), IpFilterRuleType.ACCEPT);
    }

    boolean trusts(InetSocketAddress peer) {
        for (IpSubnetFilterRule rule : rules) {
            if (rule.matches(peer)) {
                return true;
            }
        }
        return false;
    }
}
