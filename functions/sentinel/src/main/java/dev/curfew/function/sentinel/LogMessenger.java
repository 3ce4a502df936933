package dev.curfew.function.sentinel;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Writes each message to the function's log (CloudWatch Logs) and keeps the latest ones for tests. */
@Singleton
public class LogMessenger implements SentinelMessenger {
    private static final Logger LOG = LogManager.getLogger(LogMessenger.class);
    private static final int KEEP = 100;
    private final List<SentinelMessage> sent = new ArrayList<>();

    @Override
    public synchronized String send(SentinelMessage m) {
        LOG.info("message {} to {}{}: {} | {}", m.kind(), m.to(), m.dryRun() ? " (dry-run)" : "", m.subject(),
                m.text().replace('\n', ' '));
        sent.add(m);
        if (sent.size() > KEEP) {
            sent.remove(0);
        }
        return "logged";
    }

    /** The latest messages, oldest first. */
    public synchronized List<SentinelMessage> sent() {
        return List.copyOf(sent);
    }

    public synchronized void clear() {
        sent.clear();
    }
}
