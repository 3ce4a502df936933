package dev.curfew.aws.budget;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An owner's segment of a budget record's name: unchanged for the names people have, and for a long one (a tag
 * value of up to 256 characters, non-ASCII ones 5 characters each in a segment) short enough that every record's
 * name fits SSM's 1,011 characters with its ARN, the same every time, and never another owner's.
 */
class BudgetRecordsOwnerTest {
    /** SSM counts the ARN's "arn:aws:ssm:<region>:<account>:parameter" in a name's 1,011 characters. */
    static final int ROOM = 1011 - "arn:aws-us-gov:ssm:ap-southeast-2:123456789012:parameter".length();

    @Test
    void aShortNameIsItsSegment() {
        assertThat(BudgetRecords.owner("Alice")).isEqualTo("alice");
        assertThat(BudgetRecords.owner("j\u00f6rg")).isEqualTo("j_00F6rg");
        assertThat(BudgetRecords.ownerSuffix("alice")).isEmpty();
        // a name whose segment fits keeps the name its records always had
        assertThat(BudgetRecords.owner("a".repeat(600))).isEqualTo("a".repeat(600));
    }

    @Test
    void aLongNameFitsEveryRecordsNameWithTheLongestStack() {
        String stack = "s".repeat(128);
        String owner = "\u00e9".repeat(256);
        BudgetRecords b = new BudgetRecords(null, stack);
        SpentRecords spent = new SpentRecords(null, stack);
        for (String name : new String[] {b.toldName("2026-11-23", owner, 100), b.overName("2026-11-23", owner),
                b.topUpName("2026-11-23", owner), spent.name("2026-11-23", owner)}) {
            assertThat(name).hasSizeLessThanOrEqualTo(ROOM).matches("[A-Za-z0-9_./-]+");
        }
        assertThat(BudgetRecords.ownerSuffix(owner)).isEqualTo(" owner=" + owner);
    }

    @Test
    void longNamesAreDeterministicAndDistinct() {
        java.util.Random random = new java.util.Random(16);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 300; i++) {
            // names that share their first 200 characters (1,000 in a segment) and differ after
            String a = "\u00e9".repeat(200) + "\u00e8".repeat(random.nextInt(60))
                    + Integer.toString(random.nextInt(1_000_000), 36) + "-" + i;
            assertThat(BudgetRecords.owner(a)).isEqualTo(BudgetRecords.owner(a))
                    .hasSizeLessThanOrEqualTo(BudgetRecords.OWNER_SEGMENT);
            assertThat(seen.add(BudgetRecords.owner(a))).as("no two names share a segment").isTrue();
            // a long name's segment is never a short name's: no short segment has '_' before anything but 4 hex digits
            assertThat(BudgetRecords.owner(a)).contains("_h").doesNotMatch("(?:[A-Za-z0-9.-]|_[0-9A-F]{4})*");
        }
    }
}
