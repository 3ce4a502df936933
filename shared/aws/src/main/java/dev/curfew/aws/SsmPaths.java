package dev.curfew.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

/** Reading Curfew's SSM records by path. */
public final class SsmPaths {
    private SsmPaths() {
    }

    /**
     * Every parameter below {@code path}, at any depth, paged 10 at a time (SSM's most per request); a failure on any
     * page is thrown, so the caller never takes part of a listing for all of it.
     */
    public static List<Parameter> below(SsmClient ssm, String path) {
        List<Parameter> out = new ArrayList<>();
        for (GetParametersByPathResponse page : ssm.getParametersByPathPaginator(b -> b.path(path).recursive(true)
                .maxResults(10))) {
            out.addAll(page.parameters());
        }
        return out;
    }
}
