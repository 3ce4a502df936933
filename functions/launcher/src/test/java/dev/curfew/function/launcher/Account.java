package dev.curfew.function.launcher;

import dev.curfew.aws.AwsClients;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/** What the emulated account holds, read through the SDK: to show that a refused request created nothing. */
record Account(List<String> instances, List<String> groups, long tags) {
    static final List<String> REGIONS = List.of("eu-west-1", "us-east-1");

    static Account read(AwsClients clients) {
        List<String> instances = new java.util.ArrayList<>();
        List<String> groups = new java.util.ArrayList<>();
        long tags = 0;
        for (String r : REGIONS) {
            var ec2 = clients.ec2(r);
            ec2.describeInstances(b -> b.maxResults(1000)).reservations()
                    .forEach(res -> res.instances().stream().map(Instance::instanceId).forEach(instances::add));
            ec2.describeSecurityGroups().securityGroups().stream().map(SecurityGroup::groupId).forEach(groups::add);
            tags += ec2.describeTags(b -> b.maxResults(1000)).tags().size();
        }
        return new Account(List.copyOf(instances), List.copyOf(groups), tags);
    }
}
