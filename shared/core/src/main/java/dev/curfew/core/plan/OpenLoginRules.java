package dev.curfew.core.plan;

import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.model.SecurityGroup;
import dev.curfew.core.policy.KindRule;
import dev.curfew.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Security groups that open SSH (22) or RDP (3389) to the whole internet ({@code rules.open-remote-login}): the
 * owner is told the commands that narrow the rule to their own address; {@code narrow} (opt-in) revokes it.
 */
final class OpenLoginRules extends KindRules {
    OpenLoginRules() {
        super(ResourceKind.SECURITY_GROUP, "open-remote-login", "Security group", null,
                new KindRule(true, Duration.ZERO, Action.NOTIFY), List.of(Action.NOTIFY, Action.NARROW));
    }

    @Override
    public dev.curfew.core.model.Resource sample(String region, Map<String, String> tags, Instant now) {
        return new SecurityGroup("sg-00000000000000001", region, "launch-wizard-1", "vpc-00000001",
                List.of(new SecurityGroup.OpenPort("tcp", 22, 22, "0.0.0.0/0")), tags);
    }

    @Override
    public List<Decision> decide(Inventory inv, List<Decision> instanceDecisions, KindRule rule, Policy p,
                                 Instant now) {
        return inv.securityGroups().stream().sorted(Guard.order()).map(g -> openLogin(g, rule, p, now))
                .filter(java.util.Objects::nonNull).toList();
    }

    /** Only groups that open SSH or RDP to the world get a decision. */
    private static Decision openLogin(SecurityGroup g, KindRule rule, Policy p, Instant now) {
        List<String> what = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        for (SecurityGroup.OpenPort o : g.worldOpen()) {
            for (int port : new int[] {22, 3389}) {
                if (o.covers(port)) {
                    what.add((port == 22 ? "SSH (22)" : "RDP (3389)") + " to " + o.cidr());
                    commands.add(narrowCommand(g, o, port));
                }
            }
        }
        if (what.isEmpty()) {
            return null;
        }
        String summary = "opens " + String.join(", ", what) + " to the whole internet; narrow it to your own "
                + "address: " + String.join(" && ", commands);
        Finding f = new Finding("open-remote-login", rule.action(), summary, Map.of("command",
                String.join(" && ", commands)));
        Decision d = new Decision(g, Guard.owner(g, p), List.of(f), rule.action(), summary, null);
        return Guard.guarded(d, g, Duration.ZERO, p, now, Map.of(), "");
    }

    static String narrowCommand(SecurityGroup g, SecurityGroup.OpenPort o, int port) {
        String base = "aws ec2 %s-security-group-ingress --region " + g.region() + " --group-id " + g.id();
        String revoke = o.cidr().contains(":")
                ? base.formatted("revoke") + " --ip-permissions 'IpProtocol=" + (o.protocol().equals("-1") ? "-1"
                : o.protocol()) + ",FromPort=" + o.fromPort() + ",ToPort=" + o.toPort() + ",Ipv6Ranges=[{CidrIpv6="
                + o.cidr() + "}]'"
                : o.protocol().equals("-1") ? base.formatted("revoke") + " --protocol all --cidr " + o.cidr()
                : base.formatted("revoke") + " --protocol " + o.protocol() + " --port " + (o.fromPort() == o.toPort()
                ? String.valueOf(o.fromPort()) : o.fromPort() + "-" + o.toPort()) + " --cidr " + o.cidr();
        String allow = base.formatted("authorize") + " --protocol tcp --port " + port
                + " --cidr \"$(curl -s https://checkip.amazonaws.com)/32\"";
        return revoke + " && " + allow;
    }

}
