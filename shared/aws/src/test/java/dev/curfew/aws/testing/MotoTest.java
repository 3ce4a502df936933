package dev.curfew.aws.testing;

import dev.curfew.aws.AwsClients;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * What an emulator test starts from: the moto server, emptied before each test, and the class account's clients in
 * {@value #EU} with a {@link Seed} over them, opened before each test and closed after it ({@link OneAccount}: once
 * for the class). The fields are static so that a class's static helpers and its {@code @BeforeAll} (which may build
 * a handler against {@link #moto}) reach them; test classes run one after another.
 */
public abstract class MotoTest {
    public static final String EU = "eu-west-1";
    protected static MotoServer moto;
    protected static AwsClients clients;
    protected static Seed seed;
    private static boolean oneAccount;

    /**
     * On a test class: one account for the whole class, emptied and opened before its first test (its
     * {@code @BeforeAll} seeds it; each test leaves it as it found it, or only reads it) and closed after its last.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface OneAccount {
    }

    @BeforeAll
    static void startMoto(TestInfo test) {
        moto = MotoServer.get();
        oneAccount = test.getTestClass().orElseThrow().isAnnotationPresent(OneAccount.class);
        if (oneAccount) {
            openAccount();
        }
    }

    @BeforeEach
    void emptyAccount() {
        if (!oneAccount) {
            openAccount();
        }
    }

    @AfterEach
    void closeClients() {
        if (!oneAccount) {
            clients.close();
        }
    }

    @AfterAll
    static void closeClassClients() {
        if (oneAccount) {
            clients.close();
        }
    }

    private static void openAccount() {
        moto.reset();
        clients = new AwsClients(moto.settings(EU));
        seed = new Seed(clients);
    }

    protected static Ec2Client ec2() {
        return clients.ec2(EU);
    }
}
