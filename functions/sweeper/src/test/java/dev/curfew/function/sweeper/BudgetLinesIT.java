package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.budget.BudgetRecords;
import dev.curfew.aws.notify.ClassPages;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.budget.Amount;
import dev.curfew.core.budget.CourseWeek;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The curfew pass's spend lines and class page say each student's budget, this week's top-up included, in dollars or
 * instance hours; the top-ups are listed once for the budget check, the messages and the page.
 */
class BudgetLinesIT extends MotoTest {
    static final String POLICY = Path.of("src/test/resources/budget-lines-it-policy.yaml").toAbsolutePath()
            .toString();
    static final String STACK = "curfew-it";
    static final String BUCKET = "curfew-it-classpagebucket-2abc";
    final FakeSlack slack = new FakeSlack();

    @BeforeEach
    void seed() {
        clients.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
        clients.s3().createBucket(b -> b.bucket(BUCKET).createBucketConfiguration(c -> c.locationConstraint(EU)));
        clients.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value("""
                owner,name,email,slack
                alice,Alice,,U0ALICE
                bob,Bob,,U0BOB
                """));
        seed.instance(EU, dev.curfew.aws.testing.Seed.tags("curfew:owner", "alice"));
        seed.instance(EU, dev.curfew.aws.testing.Seed.tags("curfew:owner", "bob"));
    }

    @AfterEach
    void close() {
        slack.close();
    }

    String messageTo(String owner, String member) {
        return slack.requests().stream().map(FakeSlack.Request::body).filter(b -> b.contains(member))
                .filter(b -> b.contains("Your spending this week")).findFirst()
                .orElseThrow(() -> new AssertionError("no message with a spend line to " + owner + ": "
                        + slack.requests()));
    }

    @Test
    void theLinesAndThePageSayTheBudgetWithThisWeeksTopUp() throws Exception {
        Instant at = Sweepers.nextCurfew(POLICY).plus(Duration.ofMinutes(1));
        String week = CourseWeek.key(ZoneOffset.UTC, at);
        new BudgetRecords(clients.ssm(EU), STACK).addTopUp(week, "alice", Amount.dollars(5));
        Map<String, Object> p = Sweepers.properties(moto, "dry-run", POLICY, slack.apiBase());
        p.put("curfew.now", at.toString());
        p.put("curfew.stack-name", STACK);
        p.put("curfew.page-bucket", BUCKET);
        try (SweeperHandler h = new SweeperHandler(ApplicationContext.builder().properties(p))) {
            Sweepers.pass(h, "curfew");
            // the budget check, the messages and the page: one listing of the top-ups (one of who was told, one of
            // the sentinel's run records for the estimate, and one of the kept figures of closed weeks for the totals)
            assertThat(h.getApplicationContext().getBean(SweepService.class).calls())
                    .containsEntry("ssm:GetParametersByPath", 4L);
        }
        assertThat(messageTo("alice", "U0ALICE")).containsPattern("Your spending this week \\(since Mon \\d+ \\w+\\): "
                + "\\$\\d+\\.\\d\\d of your \\$15\\.00; \\$\\d+\\.\\d\\d in total");
        assertThat(messageTo("bob", "U0BOB")).containsPattern("Your spending this week \\(since Mon \\d+ \\w+\\): "
                + "\\$\\d+\\.\\d\\d, \\d+\\.\\d h of your 30 h; ");
        String page = clients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(ClassPages.key(at, ZoneOffset.UTC)))
                .asUtf8String();
        assertThat(page).contains("<th>This week / budget</th>")
                .containsPattern("<b>\\$\\d+\\.\\d\\d</b> of \\$15\\.00")
                .containsPattern("<b>\\$\\d+\\.\\d\\d</b>, \\d+\\.\\d h of 30 h")
                .contains("% of the week&#39;s budget");
        assertThat(List.of(page)).noneMatch(x -> x.contains("<script"));
    }
}
