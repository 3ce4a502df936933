package dev.curfew.aws.testing;

import dev.curfew.aws.AwsClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * What an emulator test starts from: the moto server, emptied before each test, and the class account's clients in
 * {@value #EU} with a {@link Seed} over them, opened before each test and closed after it. The fields are static so
 * that a class's static helpers and its {@code @BeforeAll} (which may build a handler against {@link #moto}) reach
 * them; test classes run one after another.
 */
public abstract class MotoTest {
    public static final String EU = "eu-west-1";
    protected static MotoServer moto;
    protected static AwsClients clients;
    protected static Seed seed;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.get();
    }

    @BeforeEach
    void emptyAccount() {
        moto.reset();
        clients = new AwsClients(moto.settings(EU));
        seed = new Seed(clients);
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    protected static Ec2Client ec2() {
        return clients.ec2(EU);
    }
}
