package dev.curfew.aws.testing;

import dev.curfew.aws.AwsClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The emulator's whole state, to show that a run changed nothing: moto's {@code GET /moto-api/data.json} (every
 * model of every service: instances, volumes, snapshots, images, addresses, spot requests, security groups, EC2
 * tags, buckets and their objects, versions and uploads, EMR clusters and their tags, SSM parameters, secrets, sent
 * emails), plus what data.json leaves out and a run could write: S3 bucket tags, read through the SDK.
 * <p>data.json lists every live object of each model class, and some reads make copies (listing an S3 bucket's
 * versions copies its keys and delete markers, marking the copies {@code is_latest}; reading its ACL makes ACL
 * objects): each model's objects are compared as a set of distinct values without S3's {@code is_latest} (a view of
 * the listing, not state), so a copy is not a change and an added, removed or altered object is. The S3 storage
 * metrics moto computes when asked ({@code AWS/S3} datapoints) are left out: AWS records those itself.
 */
public final class AccountState {
    private static final int SHOWN = 40;

    private AccountState() {
    }

    /** The caller's JSON library: UTF-8 JSON into maps, lists and scalars. */
    @FunctionalInterface
    public interface Json {
        Object parse(byte[] utf8) throws IOException;
    }

    /**
     * Reads the state; {@code json} parses data.json.
     * Reading a region's EC2 for the first time makes moto create that region's defaults: read every region a run
     * will look at before the first snapshot.
     */
    public static Map<String, Object> read(MotoServer moto, AwsClients clients, Json json) {
        Map<String, Object> state = new TreeMap<>();
        try {
            state.put("data.json", models(json.parse(moto.data().getBytes(StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse moto's data.json", e);
        }
        Map<String, Object> bucketTags = new TreeMap<>();
        var s3 = clients.s3();
        for (var b : s3.listBuckets().buckets()) {
            Map<String, String> tags = new TreeMap<>();
            try {
                s3.getBucketTagging(r -> r.bucket(b.name())).tagSet().forEach(t -> tags.put(t.key(), t.value()));
            } catch (S3Exception e) {
                if (e.awsErrorDetails() == null || !"NoSuchTagSet".equals(e.awsErrorDetails().errorCode())) {
                    throw e;
                }
            }
            bucketTags.put(b.name(), tags);
        }
        state.put("s3 bucket tags", bucketTags);
        return state;
    }

    /** data.json as service -> model -> the set of its objects' values (canonical text: maps sorted by key). */
    private static Map<String, Object> models(Object data) {
        Map<String, Object> out = new TreeMap<>();
        ((Map<?, ?>) data).forEach((service, byModel) -> {
            Map<String, Object> models = new TreeMap<>();
            ((Map<?, ?>) byModel).forEach((model, objects) -> {
                Objects values = new Objects(new TreeMap<>());
                for (Object o : (List<?>) objects) {
                    if (model.equals("MetricDatum") && o instanceof Map<?, ?> m
                            && "AWS/S3".equals(m.get("namespace"))) {
                        continue;
                    }
                    if (service.equals("s3") && o instanceof Map<?, ?> m) {
                        Map<Object, Object> copy = new java.util.LinkedHashMap<>(m);
                        copy.remove("is_latest");
                        o = copy;
                    }
                    values.byValue().put(canonical(o), o);
                }
                models.put(String.valueOf(model), values);
            });
            out.put(String.valueOf(service), models);
        });
        return out;
    }

    /** One model's objects, by their canonical text: equal when the same distinct values are there. */
    record Objects(Map<String, Object> byValue) {
    }

    /** The fields that name an object, tried in turn to pair a removed object with the added one it became. */
    private static final List<String> NAMES = List.of("id", "arn", "version_id", "name", "key", "resource_id");

    private static String name(Object o) {
        if (o instanceof Map<?, ?> m) {
            for (String n : NAMES) {
                if (m.get(n) != null) {
                    return n + "=" + m.get(n);
                }
            }
        }
        return null;
    }

    private static String canonical(Object v) {
        if (v instanceof Map<?, ?> m) {
            TreeMap<String, String> sorted = new TreeMap<>();
            m.forEach((k, x) -> sorted.put(String.valueOf(k), canonical(x)));
            return sorted.toString();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(AccountState::canonical).toList().toString();
        }
        return String.valueOf(v);
    }

    /** Where two states differ, as paths with both values (at most {@value #SHOWN}, then a count); empty if equal. */
    public static List<String> differences(Object before, Object after) {
        List<String> out = new ArrayList<>();
        diff("", before, after, out);
        if (out.size() > SHOWN) {
            int more = out.size() - SHOWN;
            List<String> shown = new ArrayList<>(out.subList(0, SHOWN));
            shown.add("... and " + more + " more");
            return shown;
        }
        return out;
    }

    private static void diff(String path, Object a, Object b, List<String> out) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            TreeSet<String> keys = new TreeSet<>();
            ma.keySet().forEach(k -> keys.add(String.valueOf(k)));
            mb.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String k : keys) {
                String p = path.isEmpty() ? k : path + "." + k;
                if (!ma.containsKey(k)) {
                    out.add(p + ": added " + brief(mb.get(k)));
                } else if (!mb.containsKey(k)) {
                    out.add(p + ": removed " + brief(ma.get(k)));
                } else {
                    diff(p, ma.get(k), mb.get(k), out);
                }
            }
        } else if (a instanceof Objects oa && b instanceof Objects ob) {
            Map<String, Object> added = new java.util.LinkedHashMap<>();
            ob.byValue().forEach((k, v) -> {
                if (!oa.byValue().containsKey(k)) {
                    added.put(k, v);
                }
            });
            oa.byValue().forEach((k, v) -> {
                if (ob.byValue().containsKey(k)) {
                    return;
                }
                String n = name(v);
                var same = n == null ? null : added.entrySet().stream().filter(e -> n.equals(name(e.getValue())))
                        .findFirst().orElse(null);
                if (same != null) {
                    added.remove(same.getKey());
                    diff(path + "[" + n + "]", v, same.getValue(), out);
                } else {
                    out.add(path + ": removed " + brief(v));
                }
            });
            added.values().forEach(v -> out.add(path + ": added " + brief(v)));
        } else if (a instanceof List<?> la && b instanceof List<?> lb) {
            for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
                String p = path + "[" + i + "]";
                if (i >= la.size()) {
                    out.add(p + ": added " + brief(lb.get(i)));
                } else if (i >= lb.size()) {
                    out.add(p + ": removed " + brief(la.get(i)));
                } else {
                    diff(p, la.get(i), lb.get(i), out);
                }
            }
        } else if (a == null ? b != null : !a.equals(b)) {
            out.add(path + ": " + brief(a) + " -> " + brief(b));
        }
    }

    private static String brief(Object v) {
        String s = String.valueOf(v);
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

}
