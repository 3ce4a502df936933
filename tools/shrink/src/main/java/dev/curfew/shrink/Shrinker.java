package dev.curfew.shrink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

/**
 * Shrinks a shaded jar to what its code can reach, at the level of classes plus one level of methods:
 *
 * <ul>
 *   <li>Every class outside the shrinkable packages (by default the AWS SDK's service modules,
 *       {@code software/amazon/awssdk/services/}) is kept as it is: Micronaut, Log4j, Jackson, the SDK's core and
 *       Curfew itself load classes by name, and none of them is touched.</li>
 *   <li>A service client ({@code Ec2Client}, {@code DefaultEc2Client} and every other class in the service that
 *       implements it) keeps only the operations some kept class calls (a call found in the bytecode: an invoke or a
 *       method handle); a paginator kept keeps its operation. The other operations' methods are removed, and with
 *       them the request, response, marshaller and model classes only they reached.</li>
 *   <li>A class in a shrinkable package is kept when a kept class refers to it (in any descriptor, signature,
 *       annotation or instruction), names it in a string constant (Class.forName), or a resource names it (service
 *       loader files, {@code execution.interceptors}, Micronaut's and Log4j's indexes), to a fixed point.</li>
 * </ul>
 *
 * What it cannot see is a class name built at run time from pieces; the functions' emulator tests run the shrunk
 * jar to catch that.
 */
public final class Shrinker {
    public static final List<String> DEFAULT_SHRINKABLE = List.of("software/amazon/awssdk/services/",
            Shrinker.SERVICE_METADATA);
    /**
     * The SDK's table of every AWS service's endpoint metadata (about 300 classes, all loaded and built when the first
     * client is): cut to the services of the jar's clients (their builders' {@code serviceEndpointPrefix()}). A
     * service missing from it would get the SDK's default metadata, so a prefix not found costs nothing but time.
     */
    static final String METADATA_PROVIDER = "software/amazon/awssdk/regions/GeneratedServiceMetadataProvider";
    static final String SERVICE_METADATA = "software/amazon/awssdk/regions/servicemetadata/";
    static final String AWS_CLIENT = "software/amazon/awssdk/awscore/AwsClient";
    /** Methods of SdkClient / AwsClient that a service client redeclares: never removed. */
    static final Set<String> CLIENT_BASICS = Set.of("serviceName", "close", "serviceClientConfiguration");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(?:[./][A-Za-z_$][A-Za-z0-9_$-]*)+");

    /** What the shrink did. operations: per client interface, the operations kept. */
    public record Result(int classesBefore, int classesAfter, long bytesBefore, long bytesAfter,
                         Map<String, Set<String>> operations) {
        public String summary() {
            return String.format(java.util.Locale.ROOT, "%,d classes -> %,d; %.1f MiB -> %.1f MiB", classesBefore,
                    classesAfter, bytesBefore / 1048576.0, bytesAfter / 1048576.0);
        }
    }

    private final List<String> shrinkable;
    private final LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>();
    private final Map<String, byte[]> classes = new HashMap<>();
    /** client interface -> its operation names; client class -> the interface it implements. */
    private final Map<String, Set<String>> operationsOf = new HashMap<>();
    private final Map<String, String> clientOf = new HashMap<>();
    private final Map<String, Refs> scans = new HashMap<>();
    private Deque<String> resourceRoots;
    /** The client classes' references as cut in the latest reach. */
    private final Map<String, Refs> clientScans = new HashMap<>();
    /** The endpoint prefixes of the jar's service clients (what {@link #METADATA_PROVIDER} keeps). */
    private final Set<String> endpointPrefixes = new HashSet<>();

    private Shrinker(List<String> shrinkable) {
        this.shrinkable = shrinkable;
    }

    public static Result shrink(Path in, Path out) throws IOException {
        return shrink(in, out, DEFAULT_SHRINKABLE);
    }

    public static Result shrink(Path in, Path out, List<String> shrinkable) throws IOException {
        Shrinker s = new Shrinker(shrinkable);
        long before = Files.size(in);
        s.read(in);
        s.findClients();
        Map<String, Set<String>> keep = new TreeMap<>();
        Set<String> reached;
        while (true) {
            reached = s.reach(keep);
            Map<String, Set<String>> called = s.calledOperations(reached);
            if (called.equals(keep)) {
                break;
            }
            keep = called;
        }
        s.write(out, reached, keep);
        return new Result(s.classes.size(), reached.size(), before, Files.size(out), keep);
    }

    private void read(Path in) throws IOException {
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(in))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                byte[] b = z.readAllBytes();
                entries.put(e.getName(), b);
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    classes.put(e.getName().substring(0, e.getName().length() - 6), b);
                }
            }
        }
    }

    private boolean shrinkable(String cls) {
        for (String p : shrinkable) {
            if (cls.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The service clients: interfaces extending AwsClient, and the classes of their service implementing them. */
    private void findClients() {
        Map<String, ClassReader> headers = new HashMap<>();
        for (String c : classes.keySet()) {
            if (shrinkable(c)) {
                headers.put(c, new ClassReader(classes.get(c)));
            }
        }
        for (var e : headers.entrySet()) {
            ClassReader r = e.getValue();
            if ((r.getAccess() & Opcodes.ACC_INTERFACE) != 0 && List.of(r.getInterfaces()).contains(AWS_CLIENT)) {
                Set<String> ops = new TreeSet<>();
                r.accept(new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(int access, String name, String d, String s, String[] x) {
                        if ((access & Opcodes.ACC_STATIC) == 0 && !name.startsWith("<") && !CLIENT_BASICS.contains(name)) {
                            ops.add(name);
                        }
                        return null;
                    }
                }, ClassReader.SKIP_CODE);
                operationsOf.put(e.getKey(), ops);
            }
        }
        for (var e : headers.entrySet()) {
            e.getValue().accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String d, String s, String[] x) {
                    return !name.equals("serviceEndpointPrefix") ? null : new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitLdcInsn(Object value) {
                            if (value instanceof String prefix) {
                                endpointPrefixes.add(prefix);
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
        for (String c : headers.keySet()) {
            String client = implemented(c, headers, new HashSet<>());
            if (client != null) {
                clientOf.put(c, client);
            }
        }
    }

    private String implemented(String c, Map<String, ClassReader> headers, Set<String> seen) {
        if (operationsOf.containsKey(c)) {
            return c;
        }
        ClassReader r = headers.get(c);
        if (r == null || !seen.add(c)) {
            return null;
        }
        List<String> up = new ArrayList<>(List.of(r.getInterfaces()));
        if (r.getSuperName() != null) {
            up.add(r.getSuperName());
        }
        for (String u : up) {
            String found = implemented(u, headers, seen);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** A client class with the operations not in keep removed; any other class as it is. */
    private byte[] bytes(String cls, Map<String, Set<String>> keep) {
        if (cls.equals(METADATA_PROVIDER) && shrinkable.contains(SERVICE_METADATA)) {
            return serviceMetadataOnlyFor(classes.get(cls), endpointPrefixes);
        }
        String client = clientOf.get(cls);
        if (client == null) {
            return classes.get(cls);
        }
        Set<String> ops = operationsOf.get(client);
        Set<String> kept = keep.getOrDefault(client, Set.of());
        ClassWriter w = new ClassWriter(0);
        new ClassReader(classes.get(cls)).accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String d, String s, String[] x) {
                String op = operation(name);
                boolean lambda = !op.equals(name);
                if (((access & Opcodes.ACC_STATIC) == 0 || lambda) && ops.contains(op) && !kept.contains(op)) {
                    return null; // the operation, its overloads, and the lambdas its body compiled to
                }
                return super.visitMethod(access, name, d, s, x);
            }
        }, 0);
        return w.toByteArray();
    }

    /**
     * The metadata provider with its static table cut to the given endpoint prefixes. Its static initialiser is a
     * straight run of {@code builder.put("prefix", new XServiceMetadata())}: each run for another prefix is left out
     * (ldc, new, dup, invokespecial, invokevirtual); anything else is copied as it is.
     */
    static byte[] serviceMetadataOnlyFor(byte[] provider, Set<String> prefixes) {
        org.objectweb.asm.tree.ClassNode node = new org.objectweb.asm.tree.ClassNode();
        new ClassReader(provider).accept(node, ClassReader.SKIP_DEBUG);
        for (org.objectweb.asm.tree.MethodNode m : node.methods) {
            if (!m.name.equals("<clinit>")) {
                continue;
            }
            org.objectweb.asm.tree.AbstractInsnNode[] code = m.instructions.toArray();
            for (int i = 0; i + 4 < code.length; i++) {
                if (code[i] instanceof org.objectweb.asm.tree.LdcInsnNode ldc && ldc.cst instanceof String prefix
                        && !prefixes.contains(prefix)
                        && code[i + 1] instanceof org.objectweb.asm.tree.TypeInsnNode t && t.getOpcode() == Opcodes.NEW
                        && t.desc.startsWith(SERVICE_METADATA)) {
                    if (code[i + 2].getOpcode() != Opcodes.DUP || code[i + 3].getOpcode() != Opcodes.INVOKESPECIAL
                            || !(code[i + 4] instanceof org.objectweb.asm.tree.MethodInsnNode put)
                            || !put.name.equals("put")) {
                        throw new IllegalStateException(METADATA_PROVIDER + "'s static table is not a run of "
                                + "put(prefix, new XServiceMetadata()); cannot cut it (at " + prefix + ")");
                    }
                    for (int k = 0; k < 5; k++) {
                        m.instructions.remove(code[i + k]);
                    }
                    i += 4;
                }
            }
        }
        ClassWriter w = new ClassWriter(0);
        node.accept(w);
        return w.toByteArray();
    }

    /** The operation a method belongs to: its name, or X for a lambda compiled from X's body (lambda$X$12). */
    static String operation(String method) {
        if (method.startsWith("lambda$")) {
            int end = method.indexOf('$', 7);
            return end > 7 ? method.substring(7, end) : method;
        }
        return method;
    }

    /** The classes reached from the roots, with the clients cut to keep. */
    private Set<String> reach(Map<String, Set<String>> keep) {
        Set<String> reached = new HashSet<>();
        clientScans.clear();
        Deque<String> todo = new ArrayDeque<>();
        for (String c : classes.keySet()) {
            if (!shrinkable(c)) {
                todo.add(c);
            }
        }
        if (resourceRoots == null) {
            resourceRoots = new ArrayDeque<>();
            for (var e : entries.entrySet()) {
                if (!e.getKey().endsWith(".class") || e.getKey().startsWith("META-INF/")) {
                    named(e.getKey(), resourceRoots);
                    named(new String(e.getValue(), StandardCharsets.ISO_8859_1), resourceRoots);
                }
            }
        }
        todo.addAll(resourceRoots);
        while (!todo.isEmpty()) {
            String c = todo.poll();
            if (!classes.containsKey(c) || !reached.add(c)) {
                continue;
            }
            Refs refs;
            if (clientOf.containsKey(c) || c.equals(METADATA_PROVIDER)) {
                refs = Refs.of(bytes(c, keep));
                clientScans.put(c, refs);
            } else {
                refs = scans.computeIfAbsent(c, k -> Refs.of(classes.get(k)));
            }
            todo.addAll(refs.types);
            todo.addAll(refs.named(this));
        }
        return reached;
    }

    private void named(String text, Deque<String> todo) {
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            String n = m.group().replace('.', '/');
            if (classes.containsKey(n) && shrinkable(n)) {
                todo.add(n);
            }
        }
    }

    /** Per client interface, the operations a reached class calls (a paginator counts for its operation). */
    private Map<String, Set<String>> calledOperations(Set<String> reached) {
        Map<String, Set<String>> keep = new TreeMap<>();
        for (String c : reached) {
            Refs refs = clientScans.containsKey(c) ? clientScans.get(c) : scans.get(c);
            for (String[] call : refs.calls) {
                String client = clientOf.get(call[0]);
                if (client == null) {
                    continue;
                }
                if (clientOf.containsKey(c) && call[1].equals(operation(call[2]))) {
                    continue; // a client's X calling X (a delegate's, or its own overload) keeps nothing new
                }
                Set<String> ops = operationsOf.get(client);
                for (String op : List.of(call[1], call[1].replaceFirst("Paginator$", ""))) {
                    if (ops.contains(op)) {
                        keep.computeIfAbsent(client, k -> new TreeSet<>()).add(op);
                    }
                }
            }
        }
        return keep;
    }

    private void write(Path out, Set<String> reached, Map<String, Set<String>> keep) throws IOException {
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream o = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(o)) {
            jar.setLevel(Deflater.BEST_COMPRESSION);
            for (var e : entries.entrySet()) {
                String name = e.getKey();
                byte[] b = e.getValue();
                if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
                    String cls = name.substring(0, name.length() - 6);
                    if (!reached.contains(cls)) {
                        continue;
                    }
                    b = bytes(cls, keep);
                }
                JarEntry je = new JarEntry(name);
                je.setTime(0L);
                jar.putNextEntry(je);
                jar.write(b);
                jar.closeEntry();
            }
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** What a class refers to: types, string constants, and method calls (owner, name, calling method). */
    private record Refs(Set<String> types, Set<String> strings, List<String[]> calls, List<Deque<String>> found) {
        /** The shrinkable classes its strings name (computed once). */
        Deque<String> named(Shrinker s) {
            if (found.isEmpty()) {
                Deque<String> d = new ArrayDeque<>();
                for (String str : strings) {
                    s.named(str, d);
                }
                found.add(d);
            }
            return found.get(0);
        }

        static Refs of(byte[] b) {
            Refs r = new Refs(new HashSet<>(), new HashSet<>(), new ArrayList<>(), new ArrayList<>(1));
            Remapper recorder = new Remapper() {
                @Override
                public String map(String internalName) {
                    r.types.add(internalName);
                    return internalName;
                }

                @Override
                public Object mapValue(Object value) {
                    if (value instanceof String s) {
                        r.strings.add(s);
                    } else if (value instanceof Handle h) {
                        r.calls.add(new String[] {h.getOwner(), h.getName(), ""});
                    }
                    return super.mapValue(value);
                }
            };
            ClassVisitor calls = new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String d, String s, String[] x) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int op, String owner, String n, String desc, boolean itf) {
                            r.calls.add(new String[] {owner, n, name});
                        }
                    };
                }
            };
            ClassVisitor scan = new ClassRemapper(calls, recorder);
            new ClassReader(b).accept(new ClassVisitor(Opcodes.ASM9, scan) {
                private String self;

                @Override
                public void visit(int v, int a, String name, String sig, String sup, String[] itfs) {
                    self = name;
                    super.visit(v, a, name, sig, sup, itfs);
                }

                @Override
                public void visitInnerClass(String name, String outer, String inner, int access) {
                    // the InnerClasses table names every nested class the class uses; only its own nest reaches
                    if (name.startsWith(self + "$") || self.startsWith(name + "$")) {
                        super.visitInnerClass(name, outer, inner, access);
                    }
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return r;
        }
    }

    /** Command line: Shrinker IN OUT (for trying it by hand). */
    public static void main(String[] args) throws IOException {
        Result r = shrink(Path.of(args[0]), Path.of(args[1]));
        System.out.println(r.summary());
        r.operations().forEach((k, v) -> System.out.println(k + " " + v));
    }
}
