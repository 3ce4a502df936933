package dev.curfew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.KindAdapter;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.plan.KindRules;
import dev.curfew.core.plan.Kinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Walks the registry of resource kinds and fails until each kind has everything a kind needs: its adapter in
 * shared/aws, its IAM actions granted in template.yaml and in templates/student-account.yaml (the role a student's own
 * account grants the sweeper) (a destructive one only on resources carrying the
 * {@code curfew:action} record, a tag write only of Curfew's keys; where the service cannot see the kind's tags,
 * {@link KindAdapter#actsOnRecord()}, only on this account's resources), an emulator test
 * ({@code @Tag("kind:<name>")} on an IT of shared/aws), its rule in the README's policy and in the bundled policy, a
 * bench seeder, a sample leftover the demo seeds ({@code Samples}), and a made-up resource for the sample account
 * ({@code KindRules.sample}).
 */
class KindRegistryTest {
    static final Path ROOT = Path.of(System.getProperty("curfew.repo-root", "..")).toAbsolutePath().normalize();

    @Test
    void everyKindOfTheRegistryHasItsAdapterAndTheRegistriesMatch() {
        assertThat(KindAdapter.ALL.stream().map(KindAdapter::kind).toList())
                .containsExactlyInAnyOrderElementsOf(Kinds.ALL.stream().map(KindRules::kind).toList());
    }

    @Test
    void everyResourceKindIsDecidedAndActedOnThroughTheRegistry() {
        for (ResourceKind k : ResourceKind.values()) {
            assertThat(Kinds.of(k)).as(k.wireName()).isNotNull();
            assertThat(KindAdapter.of(k)).as(k.wireName()).isNotNull();
        }
    }

    @Test
    void everyKindHasItsGrantTestDocsPolicyAndSeeder() throws IOException {
        String template = Files.readString(ROOT.resolve("template.yaml"));
        String studentAccount = Files.readString(ROOT.resolve("templates/student-account.yaml"));
        String readme = Files.readString(ROOT.resolve("README.md"));
        String bundled = Files.readString(ROOT.resolve("shared/core/src/main/resources/dev/curfew/core/"
                + "default-policy.yaml"));
        List<String> its;
        try (Stream<Path> files = Files.walk(ROOT.resolve("shared/aws/src/test/java"))) {
            its = files.filter(f -> f.getFileName().toString().endsWith("IT.java")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        List<String> missing = new ArrayList<>();
        for (KindRules k : Kinds.ALL) {
            String name = k.kind().wireName();
            KindAdapter a = KindAdapter.of(k.kind());
            if (a == null) {
                missing.add(name + ": no adapter in KindAdapter.ALL");
            } else {
                for (String action : a.iamActions()) {
                    String why = granted(template, action, a.actsOnRecord());
                    if (why != null) {
                        missing.add(name + ": " + why);
                    }
                    why = granted(studentAccount, action, a.actsOnRecord());
                    if (why != null) {
                        missing.add(name + ": in templates/student-account.yaml, " + why);
                    }
                }
            }
            if (its.stream().noneMatch(s -> s.contains("Tag(\"kind:" + name + "\")"))) {
                missing.add(name + ": no emulator test (an IT in shared/aws tagged @Tag(\"kind:" + name + "\"))");
            }
            for (String policyKey : k.policyKeys()) {
                Pattern key = Pattern.compile("(?m)^  " + Pattern.quote(policyKey) + ":");
                if (!key.matcher(policyBlock(readme)).find()) {
                    missing.add(name + ": rules." + policyKey + " is not in the README's policy");
                }
                if (!key.matcher(bundled).find()) {
                    missing.add(name + ": rules." + policyKey + " is not in the bundled policy");
                }
            }
            if (dev.curfew.bench.Kinds.ALL.stream().noneMatch(b -> b.name().equals(name) && b.seed() != null)) {
                missing.add(name + ": no bench seeder (dev.curfew.bench.Kinds)");
            }
            if (dev.curfew.aws.samples.Samples.of(k.kind()) == null
                    && !dev.curfew.aws.samples.Samples.NOT_SAMPLED.containsKey(k.kind())) {
                missing.add(name + ": not seeded by the demo (no sample leftover in dev.curfew.aws.samples.Samples)");
            }
            if (k.sample("eu-west-1", java.util.Map.of(), java.time.Instant.now()) == null) {
                missing.add(name + ": no made-up resource for the sample account SnapStart primes with "
                        + "(KindRules.sample)");
            }
        }
        assertThat(missing).isEmpty();
    }

    /** The README's policy: from its {@code rules:} line to the end of that code block. */
    static String policyBlock(String readme) {
        int start = readme.indexOf("\nrules:\n");
        assertThat(start).as("the README shows the policy's rules").isPositive();
        return readme.substring(start, readme.indexOf("```", start));
    }

    /**
     * Acts that make something new and change nothing that exists (as TemplateTest counts them): like reads, they
     * destroy nothing, so they need no curfew:action record.
     */
    static final java.util.Set<String> MAKES_NEW = java.util.Set.of("ec2:CreateSnapshot");

    /**
     * Null when an Allow statement of template.yaml grants the action with the condition it needs: none for a read;
     * Curfew's tag keys only ({@code aws:TagKeys}) for a tag write; the {@code curfew:action} record for an act. A
     * kind whose service cannot see its tags ({@code onRecord} false) needs its writes limited to this account's
     * resources instead ({@code ResourceAccount}).
     */
    static String granted(String template, String action, boolean onRecord) {
        boolean reads = action.matches("[a-z0-9]+:(Describe|List|Get).*") || MAKES_NEW.contains(action);
        boolean tags = action.matches("[a-z0-9]+:(CreateTags|DeleteTags|AddTags|RemoveTags|PutBucketTagging)");
        for (String statement : template.split("\n\\s*- Sid: ")) {
            if (!statement.contains("Effect: Allow")
                    || !Pattern.compile("(?m)^\\s*- " + Pattern.quote(action) + "\\s*$").matcher(statement).find()) {
                continue;
            }
            if (reads || !onRecord && statement.contains(":ResourceAccount:")
                    || tags && statement.contains("aws:TagKeys: curfew:*")
                    || !tags && statement.contains("ResourceTag/curfew:action")) {
                return null;
            }
            return action + " is granted without " + (!onRecord ? "the ResourceAccount condition"
                    : tags ? "the condition aws:TagKeys: curfew:*" : "the curfew:action condition");
        }
        return action + " is not granted in template.yaml";
    }
}
