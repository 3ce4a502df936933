package dev.curfew.aws.notify;

import dev.curfew.aws.AwsClients;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.Message;

/**
 * Email through SES v2 (SendEmail): a subject, a plain-text and an HTML part, from the sender identity set at
 * deploy time. A refusal comes back as an exception whose message says what to do about it.
 */
public final class SesMailer {
    public static final List<String> IAM_ACTIONS = List.of("ses:SendEmail");

    private final AwsClients clients;
    private final String sender;

    public SesMailer(AwsClients clients, String sender) {
        this.clients = clients;
        this.sender = sender;
    }

    public static final class RejectedException extends Exception {
        public RejectedException(String message) {
            super(message);
        }
    }

    /** @return SES's message id */
    public String send(String to, String subject, String text, String html) throws RejectedException {
        Content s = Content.builder().data(subject).charset("UTF-8").build();
        Body body = Body.builder().text(Content.builder().data(text).charset("UTF-8").build())
                .html(Content.builder().data(html).charset("UTF-8").build()).build();
        try {
            return clients.ses().sendEmail(b -> b.fromEmailAddress(sender)
                    .destination(d -> d.toAddresses(to))
                    .content(EmailContent.builder().simple(Message.builder().subject(s).body(body).build()).build()))
                    .messageId();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? String.valueOf(e.statusCode())
                    : e.awsErrorDetails().errorCode();
            String msg = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw new RejectedException("SES refused (" + code + ": " + msg + ")" + hint(code, msg));
        }
    }

    /** What to do about a refusal: SES's own words name the address it did not accept. */
    String hint(String code, String msg) {
        String m = msg == null ? "" : msg.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("not verified")) {
            return m.contains(sender.toLowerCase(java.util.Locale.ROOT))
                    ? "; verify the sender identity " + sender + " in SES (aws sesv2 create-email-identity "
                    + "--email-identity " + sender + ")"
                    : "; the account is in the SES sandbox, where every recipient must be verified too: verify the "
                    + "recipient, or request production access";
        }
        if ("AccountSuspendedException".equals(code) || "SendingPausedException".equals(code)) {
            return "; SES sending is paused for this account: see the SES console";
        }
        return "";
    }
}
