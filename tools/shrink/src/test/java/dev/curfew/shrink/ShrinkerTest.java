package dev.curfew.shrink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.shrink.fixture.ListsInstances;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A jar of the EC2 SDK module plus one class of "our" code that calls DescribeInstances (through its paginator),
 * names CreateVpcRequest in a string, and a resource that names DeleteVpcRequest: what the shrink keeps and drops.
 */
class ShrinkerTest {
    private static final String EC2 = "software/amazon/awssdk/services/ec2/";
    @TempDir
    static Path dir;
    static Shrinker.Result result;
    static Map<String, byte[]> out;

    @BeforeAll
    static void shrink() throws Exception {
        Path in = dir.resolve("in.jar");
        Path ec2Jar = Path.of(Ec2Client.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path regionsJar = Path.of(software.amazon.awssdk.regions.Region.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        try (OutputStream o = Files.newOutputStream(in); JarOutputStream jar = new JarOutputStream(o);
             JarFile sdk = new JarFile(ec2Jar.toFile()); JarFile regions = new JarFile(regionsJar.toFile())) {
            String fixture = ListsInstances.class.getName().replace('.', '/') + ".class";
            put(jar, fixture, ListsInstances.class.getClassLoader().getResourceAsStream(fixture).readAllBytes());
            put(jar, "META-INF/services/example.Provider",
                    "software.amazon.awssdk.services.ec2.model.DeleteVpcRequest\n".getBytes(StandardCharsets.UTF_8));
            for (JarFile module : new JarFile[] {sdk, regions}) {
                for (JarEntry e : java.util.Collections.list(module.entries())) {
                    if (!e.isDirectory() && !e.getName().startsWith("META-INF/")) {
                        try (InputStream s = module.getInputStream(e)) {
                            put(jar, e.getName(), s.readAllBytes());
                        }
                    }
                }
            }
        }
        Path shrunk = dir.resolve("out.jar");
        result = Shrinker.shrink(in, shrunk);
        out = new HashMap<>();
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(shrunk))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                out.put(e.getName(), z.readAllBytes());
            }
        }
    }

    private static void put(JarOutputStream jar, String name, byte[] bytes) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        jar.write(bytes);
        jar.closeEntry();
    }

    private static Set<String> methods(String cls) {
        Set<String> names = new HashSet<>();
        new ClassReader(out.get(cls + ".class")).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String d, String s, String[] x) {
                names.add(name);
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return names;
    }

    @Test
    void keepsOnlyTheOperationsCalledAndWhatTheyReach() {
        assertThat(result.operations()).containsOnlyKeys(EC2 + "Ec2Client");
        assertThat(result.operations().get(EC2 + "Ec2Client")).containsExactly("describeInstances",
                "describeInstancesPaginator");
        for (String client : new String[] {"Ec2Client", "DefaultEc2Client"}) {
            assertThat(methods(EC2 + client)).as(client).contains("describeInstances")
                    .doesNotContain("runInstances", "terminateInstances", "waiter");
        }
        assertThat(out).containsKeys(EC2 + "model/DescribeInstancesRequest.class",
                EC2 + "model/DescribeInstancesResponse.class", EC2 + "model/Instance.class",
                EC2 + "transform/DescribeInstancesRequestMarshaller.class",
                EC2 + "paginators/DescribeInstancesIterable.class", EC2 + "DefaultEc2ClientBuilder.class",
                EC2 + "endpoints/Ec2EndpointProvider.class");
        assertThat(out).doesNotContainKeys(EC2 + "model/RunInstancesRequest.class",
                EC2 + "transform/RunInstancesRequestMarshaller.class", EC2 + "Ec2AsyncClient.class",
                EC2 + "DefaultEc2AsyncClient.class", EC2 + "waiters/DefaultEc2Waiter.class");
        assertThat(result.classesAfter()).isLessThan(result.classesBefore() / 5);
    }

    @Test
    void keepsClassesNamedInStringsAndResources() {
        assertThat(out).containsKeys(EC2 + "model/CreateVpcRequest.class", EC2 + "model/DeleteVpcRequest.class",
                "META-INF/services/example.Provider",
                ListsInstances.class.getName().replace('.', '/') + ".class");
    }

    /** The SDK's table of every service's endpoint metadata keeps only the services of the jar's clients. */
    @Test
    void keepsTheServiceMetadataOfTheJarsServicesOnly() {
        String meta = "software/amazon/awssdk/regions/servicemetadata/";
        assertThat(out).containsKeys(meta + "Ec2ServiceMetadata.class",
                "software/amazon/awssdk/regions/GeneratedServiceMetadataProvider.class");
        assertThat(out).doesNotContainKeys(meta + "AcmServiceMetadata.class", meta + "S3ServiceMetadata.class",
                meta + "IamServiceMetadata.class");
        assertThat(result.classesBefore() - result.classesAfter()).isGreaterThan(0);
        Set<String> prefixes = new HashSet<>();
        Set<String> constructed = new HashSet<>();
        new ClassReader(out.get("software/amazon/awssdk/regions/GeneratedServiceMetadataProvider.class"))
                .accept(new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(int access, String name, String d, String s, String[] x) {
                        return new MethodVisitor(Opcodes.ASM9) {
                            @Override
                            public void visitLdcInsn(Object value) {
                                prefixes.add(String.valueOf(value));
                            }

                            @Override
                            public void visitTypeInsn(int op, String type) {
                                if (op == Opcodes.NEW) {
                                    constructed.add(type);
                                }
                            }
                        };
                    }
                }, 0);
        assertThat(prefixes).containsExactly("ec2");
        assertThat(constructed).containsExactly(meta + "Ec2ServiceMetadata");
    }
}
