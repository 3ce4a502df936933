package dev.curfew.shrink;

import java.io.IOException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.shade.DefaultShader;
import org.apache.maven.plugins.shade.ShadeRequest;

/**
 * maven-shade-plugin's shader, then {@link Shrinker} on the jar it wrote. A function's POM selects it with
 * {@code <shaderHint>curfew-shrink</shaderHint>} and this module as a dependency of the shade plugin (registered in
 * META-INF/plexus/components.xml).
 */
public class ShrinkingShader extends DefaultShader {
    @Override
    public void shade(ShadeRequest request) throws IOException, MojoExecutionException {
        super.shade(request);
        java.nio.file.Path jar = request.getUberJar().toPath();
        Shrinker.Result r = Shrinker.shrink(jar, jar);
        System.out.println("[INFO] curfew-shrink: " + r.summary());
    }
}
