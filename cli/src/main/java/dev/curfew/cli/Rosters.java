package dev.curfew.cli;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.notify.RosterSource;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.notify.RosterParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The roster a command reads: a local file, {@code s3://BUCKET/KEY} or {@code ssm:/NAME}; its problems printed. */
final class Rosters {
    private Rosters() {
    }

    /**
     * @throws IllegalArgumentException naming the file when a local file cannot be read (an S3 object or SSM
     *                                  parameter that cannot be read comes back empty, the reason among its problems)
     */
    static Roster load(String location, AwsClients clients, PrintWriter err) {
        Roster r;
        if (location.startsWith("s3://") || location.startsWith("ssm:")) {
            r = RosterSource.load(location, clients);
        } else {
            try {
                r = RosterParser.parse(Files.readString(Path.of(location), StandardCharsets.UTF_8), location);
            } catch (IOException e) {
                throw new IllegalArgumentException("--roster " + location + " cannot be read: " + e.getMessage());
            }
        }
        r.problems().forEach(p -> err.println("curfew: " + p));
        err.flush();
        return r;
    }
}
