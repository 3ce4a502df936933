package dev.curfew.cli;

import dev.curfew.core.policy.Mode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/**
 * {@code ./curfew report --html out.html}: the plan (a dry run, nothing is changed) and the class page the curfew
 * sweep writes (README, "The class page"), saved to a local file; {@code --html} is required here, and {@code
 * --accounts all} makes it one page of every account ({@link SweepCommand}).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Show the plan (a dry run: nothing is changed) and save the class page as one self-contained "
                + "HTML file (--html FILE, required): every student, what runs, what is marked and when it goes, money "
                + "saved by week.")
public final class ReportCommand extends SweepCommand {
    @Override
    Mode mode() {
        return Mode.DRY_RUN;
    }

    @Override
    public Integer call() {
        if (html == null) {
            throw new IllegalArgumentException("Missing required option: '--html=FILE' (where to save the class "
                    + "page)");
        }
        return super.call();
    }

    /** The page's path, checked before anything is read: a directory that exists, a file that can be written. */
    static Path checked(String html) {
        Path p;
        try {
            p = Path.of(html).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("--html \"" + html + "\" is not a file name: " + e.getMessage());
        }
        if (Files.isDirectory(p)) {
            throw new IllegalArgumentException("--html " + html + " is a directory: name a file, such as "
                    + "class-page.html");
        }
        Path dir = p.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--html " + html + ": the directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir) || Files.exists(p) && !Files.isWritable(p)) {
            throw new IllegalArgumentException("--html " + html + " cannot be written (permission denied)");
        }
        return p;
    }
}
