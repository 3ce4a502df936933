package dev.curfew.core.launch;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** An account in memory: key pairs, prices, instances, groups; records every call that changes something. */
final class FakeCloud implements LaunchPort {
    String account = "123456789012";
    final Set<String> keyPairs = new TreeSet<>();
    final List<SpotPrice> prices = new ArrayList<>();
    final Map<String, CloudInstance> instances = new LinkedHashMap<>();
    final Map<String, TaggedGroup> groups = new LinkedHashMap<>();
    final Map<String, SshGroupSpec> groupSpecs = new LinkedHashMap<>();
    final List<SpotLaunchSpec> launches = new ArrayList<>();
    final List<String> changes = new ArrayList<>();
    final List<String> reads = new ArrayList<>();
    CloudFailure failRun;
    /** Thrown by {@link #accountId()}: credentials that cannot be had (a role that cannot be assumed). */
    RuntimeException failAccount;
    String address = "54.1.2.3";
    private int next = 1;

    FakeCloud price(String zone, String type, String price, Instant at) {
        prices.add(new SpotPrice(zone, type, "Linux/UNIX", new BigDecimal(price), at));
        return this;
    }

    CloudInstance add(String region, String owner, String state) {
        String id = String.format("i-%017x", next++);
        Map<String, String> tags = owner == null ? Map.of() : Map.of("curfew:owner", owner);
        CloudInstance i = new CloudInstance(id, region, region + "a", "t3.micro", state, "spot",
                Instant.parse("2026-11-25T09:00:00Z"), "54.0.0." + next, null, "k", List.of(), tags);
        instances.put(id, i);
        return i;
    }

    @Override
    public String accountId() {
        reads.add("accountId");
        if (failAccount != null) {
            throw failAccount;
        }
        return account;
    }

    @Override
    public boolean keyPairExists(String region, String keyName) {
        reads.add("keyPair " + region + " " + keyName);
        return keyPairs.contains(region + "/" + keyName);
    }

    @Override
    public List<SpotPrice> spotPrices(String region, String instanceType, Instant from, Instant to) {
        reads.add("prices " + region + " " + instanceType + " " + from + " " + to);
        return prices.stream().filter(p -> p.zone().startsWith(region)).toList();
    }

    @Override
    public String imageId(String region, String ami) {
        reads.add("image " + region + " " + ami);
        return ami.startsWith("ami-") ? ami : "ami-0123456789abcdef0";
    }

    @Override
    public List<CloudInstance> instancesTagged(String region, String tagKey, String tagValue) {
        reads.add("instances " + region + " " + tagKey + "=" + tagValue);
        return instances.values().stream().filter(i -> i.region().equals(region))
                .filter(i -> tagValue.equals(i.tag(tagKey))).filter(i -> !"terminated".equals(i.state())).toList();
    }

    @Override
    public Optional<CloudInstance> instance(String region, String instanceId) {
        reads.add("instance " + region + " " + instanceId);
        CloudInstance i = instances.get(instanceId);
        return i != null && i.region().equals(region) ? Optional.of(i) : Optional.empty();
    }

    @Override
    public String createSshGroup(SshGroupSpec spec) {
        String id = String.format("sg-%017x", next++);
        changes.add("createSshGroup " + spec.name());
        groups.put(id, new TaggedGroup(id, spec.name(), spec.tags()));
        groupSpecs.put(id, spec);
        return id;
    }

    @Override
    public List<TaggedGroup> groupsTagged(String region, String tagKey, String tagValue, String namePrefix) {
        reads.add("groups " + region);
        return groups.values().stream().filter(g -> tagValue.equals(g.tags().get(tagKey)))
                .filter(g -> g.name().startsWith(namePrefix)).toList();
    }

    @Override
    public boolean deleteGroup(String region, String groupId) {
        changes.add("deleteGroup " + groupId);
        boolean inUse = instances.values().stream().anyMatch(i -> !i.gone() && i.securityGroupIds().contains(groupId));
        if (inUse) {
            return false;
        }
        groups.remove(groupId);
        return true;
    }

    @Override
    public CloudInstance runSpot(SpotLaunchSpec spec) {
        changes.add("runSpot " + spec.instanceType() + " " + spec.zone());
        if (failRun != null) {
            throw failRun;
        }
        launches.add(spec);
        String id = String.format("i-%017x", next++);
        CloudInstance i = new CloudInstance(id, spec.region(), spec.zone(), spec.instanceType(), "pending", "spot",
                Instant.parse("2026-11-25T10:00:00Z"), null, null, spec.keyName(), List.of(spec.securityGroupId()),
                spec.tags());
        instances.put(id, i);
        return i;
    }

    @Override
    public Optional<String> awaitPublicAddress(String region, String instanceId, Duration max) {
        return Optional.ofNullable(address);
    }

    /** Owners whose launch lease is held now, and every acquire and release in order. */
    final Set<String> leased = new TreeSet<>();
    final List<String> leases = new ArrayList<>();

    /** Budget records by "owner/week", as the sweeper and the CLI would have written them. */
    final Map<String, dev.curfew.core.budget.OverBudget.Records> budgets = new java.util.HashMap<>();

    @Override
    public dev.curfew.core.budget.OverBudget.Records budget(String owner, String week) {
        return budgets.getOrDefault(owner + "/" + week, dev.curfew.core.budget.OverBudget.Records.NONE);
    }

    @Override
    public Optional<Lease> launchLease(String owner, Duration wait) {
        if (!leased.add(owner)) {
            leases.add("busy " + owner);
            return Optional.empty();
        }
        leases.add("acquire " + owner);
        return Optional.of(() -> {
            leased.remove(owner);
            leases.add("release " + owner);
        });
    }

    @Override
    public boolean awaitListed(String region, String tagKey, String tagValue, String instanceId, Duration max) {
        reads.add("listed " + instanceId);
        return instancesTagged(region, tagKey, tagValue).stream().anyMatch(i -> i.id().equals(instanceId));
    }

    @Override
    public String terminate(String region, String instanceId) {
        changes.add("terminate " + instanceId);
        CloudInstance i = instances.get(instanceId);
        instances.put(instanceId, new CloudInstance(i.id(), i.region(), i.zone(), i.instanceType(), "shutting-down",
                i.lifecycle(), i.launchTime(), i.publicIp(), i.publicDns(), i.keyName(), i.securityGroupIds(),
                i.tags()));
        return "shutting-down";
    }
}
