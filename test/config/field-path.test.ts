import { describe, expect, test } from "bun:test";
import { formatPath, pointerToPath } from "../../src/config/field-path.ts";

describe("field paths", () => {
  test("indexes in brackets, keys dotted, odd keys quoted", () => {
    expect(formatPath(["model_list", 2, "litellm_params", "api_base"])).toBe("model_list[2].litellm_params.api_base");
    expect(formatPath(["router_settings", "model_group_alias", "gpt-4o"])).toBe('router_settings.model_group_alias["gpt-4o"]');
  });

  test("a numeric segment is an index only inside a list", () => {
    const tree = { model_list: [{}], environment_variables: { "0": "x" } };
    expect(pointerToPath("/model_list/0", tree)).toEqual(["model_list", 0]);
    expect(pointerToPath("/environment_variables/0", tree)).toEqual(["environment_variables", "0"]);
  });

  test("JSON pointer escapes are undone", () => {
    expect(pointerToPath("/a~1b/c~0d", {})).toEqual(["a/b", "c~d"]);
  });
});
