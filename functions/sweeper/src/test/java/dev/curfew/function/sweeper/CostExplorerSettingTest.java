package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CostExplorer deployment setting, and what the template grants for it. */
class CostExplorerSettingTest {
    @Test
    void onOrOffElseAnErrorNamingTheSetting() {
        assertThat(new CostExplorerSetting("on").on()).isTrue();
        assertThat(new CostExplorerSetting(" ON ").on()).isTrue();
        assertThat(new CostExplorerSetting("off").on()).isFalse();
        assertThat(new CostExplorerSetting(null).on()).isFalse();
        assertThat(new CostExplorerSetting("").on()).isFalse();
        assertThatThrownBy(() -> new CostExplorerSetting("yes")).hasMessageContaining("CURFEW_COST_EXPLORER")
                .hasMessageContaining("\"yes\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTemplateGrantsCostExplorerOnlyWhenItIsOnAndTellsTheSweeper() throws Exception {
        Map<String, Object> t = TemplateTest.parsed();
        Map<String, Object> param = (Map<String, Object>) ((Map<String, Object>) t.get("Parameters"))
                .get("CostExplorer");
        assertThat(param).containsEntry("Default", "off").containsEntry("AllowedValues", List.of("on", "off"));
        Map<String, Object> sweeper = TemplateTest.resources("AWS::Serverless::Function").get("SweeperFunction");
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) TemplateTest.properties(sweeper)
                .get("Environment")).get("Variables");
        assertThat(env).containsEntry("CURFEW_COST_EXPLORER", Map.of("Ref", "CostExplorer"));
        // the one statement naming ce:GetCostAndUsage is the CostExplorerOn branch of an !If
        List<Object> policies = (List<Object>) TemplateTest.properties(sweeper).get("Policies");
        List<Map<String, Object>> ifs = new java.util.ArrayList<>();
        for (Object p : policies) {
            if (p instanceof Map<?, ?> m && m.get("Statement") instanceof List<?> sts) {
                for (Object st : sts) {
                    if (st instanceof Map<?, ?> sm && sm.containsKey("Fn::If")) {
                        ifs.add((Map<String, Object>) sm);
                    }
                }
            }
        }
        assertThat(ifs).filteredOn(i -> i.toString().contains("ce:GetCostAndUsage")).singleElement()
                .satisfies(i -> assertThat(((List<Object>) i.get("Fn::If")).get(0)).isEqualTo("CostExplorerOn"));
        assertThat(TemplateTest.statements(policies)).filteredOn(s -> TemplateTest.actions(s).contains(
                "ce:GetCostAndUsage")).singleElement().satisfies(s -> assertThat(TemplateTest.actions(s))
                .containsExactly("ce:GetCostAndUsage"));
    }
}
