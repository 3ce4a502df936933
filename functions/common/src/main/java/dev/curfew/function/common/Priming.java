package dev.curfew.function.common;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming. Lambda snapshots a published version after its init phase and restores new execution
 * environments from the snapshot; just before snapshotting it calls {@link #beforeCheckpoint}, which runs the
 * function's priming work (each function's own: classes loaded, SDK clients built, a read-only call made), so a
 * cold start is a restore with those classes already loaded and linked. Priming never fails the snapshot: an error is
 * logged and the snapshot is taken anyway. Outside SnapStart (a plain JVM, $LATEST) nothing calls it.
 *
 * <p>org.crac holds resources weakly: keep the returned object in a field of something that lives as long as the
 * function (the service bean).
 */
public final class Priming implements Resource {
    private static final Logger LOG = LogManager.getLogger(Priming.class);

    private final String what;
    private final Runnable work;

    private Priming(String what, Runnable work) {
        this.what = what;
        this.work = work;
    }

    /** Registers priming work with the CRaC context that Lambda's SnapStart drives. */
    public static Priming register(String what, Runnable work) {
        Priming p = new Priming(what, work);
        Core.getGlobalContext().register(p);
        return p;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        LOG.info("{}: restored from a SnapStart snapshot", what);
    }

    /** Runs the priming work now. @return true when it completed, false when it failed (logged) */
    public boolean prime() {
        long t0 = System.nanoTime();
        try {
            work.run();
            LOG.info("{}: primed for the snapshot in {} ms", what, (System.nanoTime() - t0) / 1_000_000);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("{}: priming failed after {} ms, the snapshot is taken without it: {}", what,
                    (System.nanoTime() - t0) / 1_000_000, String.valueOf(e));
            return false;
        }
    }
}
