package dev.curfew.function.sentinel;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.notify.Notifier;
import dev.curfew.aws.notify.RosterSource;
import dev.curfew.aws.notify.Secrets;
import dev.curfew.aws.notify.SesMailer;
import dev.curfew.aws.notify.SlackClient;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Digests;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.notify.Templates;
import dev.curfew.core.policy.Notifications;
import dev.curfew.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Delivers a sentinel message on the channels of the policy's {@code notifications} section, as the sweeper's
 * messages go: the owner is found in the roster (an owner it does not list, or no owner, means the instructor); a
 * Slack direct message with the bot token (by member id, or looked up by email), else the channel webhook mentioning
 * the member; an email through SES. Students are not messaged in dry-run unless
 * {@code notifications.students-in-dry-run}. A channel that fails is reported, never thrown.
 */
final class Channels {
    private final AwsClients clients;
    private final String slackApiBase;

    Channels(AwsClients clients, String slackApiBase) {
        this.clients = clients;
        this.slackApiBase = slackApiBase;
    }

    /** What became of the message on each channel, e.g. {@code email to a@b.c: sent}. */
    List<String> deliver(Policy p, SentinelMessage m) {
        Notifications n = p.notifications();
        List<String> out = new ArrayList<>();
        if (!n.slack() && !n.email()) {
            out.add("no channel configured (notifications.slack, notifications.email)");
            return out;
        }
        Contact to;
        if (SentinelService.INSTRUCTOR.equals(m.to())) {
            to = Digests.instructor(p);
        } else {
            Roster roster = RosterSource.load(n.roster(), clients);
            to = roster.find(m.to());
            if (to == null) {
                out.add(m.to() + " is not in the roster: to the instructor");
                to = Digests.instructor(p);
            }
        }
        boolean allowed = to.instructor() || !m.dryRun() || n.studentsInDryRun();
        if (!allowed) {
            out.add("would send: dry-run, students are not messaged (notifications.students-in-dry-run)");
            return out;
        }
        if (n.slack()) {
            out.add(slack(n, to, m));
        }
        if (n.email()) {
            if (to.email() == null) {
                out.add("email: skipped, no address" + (to.instructor() ? " (notifications.instructor.email)"
                        : " in the roster"));
            } else {
                try {
                    String id = new SesMailer(clients, n.emailSender()).send(to.email(), m.subject(), m.text(),
                            "<p>" + html(m.text()) + "</p>");
                    out.add("email to " + to.email() + ": sent (SES message " + id + ")");
                } catch (SesMailer.RejectedException e) {
                    out.add("email to " + to.email() + ": failed, " + e.getMessage());
                } catch (RuntimeException e) {
                    out.add("email to " + to.email() + ": failed, " + Notifier.unexpected(e));
                }
            }
        }
        return out;
    }

    private String slack(Notifications n, Contact to, SentinelMessage m) {
        Secrets secrets = new Secrets(clients);
        SlackClient slack = new SlackClient(slackApiBase);
        String text = "*" + Templates.slackEscape(m.subject()) + "*\n" + Templates.slackEscape(m.text());
        String problem = null;
        try {
            if (n.slackBotTokenSecret() != null && (to.slackId() != null || to.email() != null)) {
                String token = secrets.botToken(n.slackBotTokenSecret());
                String target = to.slackId() != null ? to.slackId() : slack.lookupByEmail(token, to.email());
                slack.postMessage(token, target, Map.of("text", text));
                return "slack-dm to " + target + ": sent";
            }
        } catch (SlackClient.SlackException | IllegalStateException e) {
            problem = "slack-dm failed, " + e.getMessage();
        } catch (RuntimeException e) {
            problem = "slack-dm failed, " + Notifier.unexpected(e);
        }
        if (n.slackWebhookSecret() == null) {
            return problem != null ? problem : "slack: failed, no Slack member id or email for a direct message, "
                    + "and no webhook";
        }
        try {
            String url = secrets.webhookUrl(n.slackWebhookSecret());
            slack.webhook(url, Map.of("text", (to.slackId() != null ? "<@" + to.slackId() + "> " : "") + text));
            return (problem != null ? problem + "; " : "") + "slack-webhook: sent";
        } catch (SlackClient.SlackException | IllegalStateException e) {
            return (problem != null ? problem + "; " : "") + "slack-webhook: failed, " + e.getMessage();
        } catch (RuntimeException e) {
            return (problem != null ? problem + "; " : "") + "slack-webhook: failed, " + Notifier.unexpected(e);
        }
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
