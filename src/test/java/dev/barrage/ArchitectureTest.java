package dev.barrage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layer rules of ARCHITECTURE.md, checked so the picture cannot drift. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the bean definitions Spring's AOT processing writes (target/classes after a package)
            .withImportOption(location -> !location.contains("__"))
            .importPackages("dev.barrage");

    @Test
    void theEngineNeverDependsOnSpringOrOnTheLayersAboveIt() {
        noClasses().that().resideInAPackage("dev.barrage.engine..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "jakarta..", "io.micrometer..", "io.prometheus..", "tools.jackson..",
                        "com.fasterxml..", "dev.barrage.runs..", "dev.barrage.api..", "dev.barrage.metrics..",
                        "dev.barrage.config..", "dev.barrage.cluster..", "com.hazelcast..")
                .check(CLASSES);
    }

    @Test
    void hazelcastLivesOnlyInTheClusterLayerAndItsWiring() {
        noClasses().that().resideOutsideOfPackages("dev.barrage.cluster..", "dev.barrage.config..")
                .should().dependOnClassesThat().resideInAnyPackage("com.hazelcast..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.barrage.cluster..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.barrage.api..", "dev.barrage.metrics..", "dev.barrage.config..", "org.springframework.web..")
                .check(CLASSES);
    }

    @Test
    void pacingIsPureJava() {
        noClasses().that().resideInAPackage("dev.barrage.engine.pacing..")
                .should().dependOnClassesThat().resideOutsideOfPackages("java..", "dev.barrage.engine.pacing..")
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    @Test
    void runsDoNotDependOnTheWebOrMetricsLayers() {
        noClasses().that().resideInAPackage("dev.barrage.runs..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.barrage.api..", "dev.barrage.metrics..", "dev.barrage.config..",
                        "org.springframework.web..", "io.micrometer..")
                .check(CLASSES);
    }

    @Test
    void onlyTheApiServesHttpAndOnlyMetricsPublishesMeters() {
        noClasses().that().resideOutsideOfPackages("dev.barrage.api..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..")
                .check(CLASSES);
        noClasses().that().resideOutsideOfPackages("dev.barrage.metrics..", "dev.barrage.config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..")
                .check(CLASSES);
    }
}
