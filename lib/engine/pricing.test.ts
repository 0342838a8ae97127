import { describe, expect, it } from "vitest";
import { addCosts, costOfUsage } from "./pricing";

const sonnet = { inputPerMtok: 3, outputPerMtok: 15, cacheWritePerMtok: 3.75, cacheReadPerMtok: 0.3 };

describe("costOfUsage", () => {
  it("prices each kind of token at its own rate", () => {
    // 1,200 in × $3 = $0.0036; 87 out × $15 = $0.001305; 300 cache writes × $3.75 = $0.001125;
    // 4,000 cache reads × $0.30 = $0.0012. Total $0.00723.
    const usage = {
      input_tokens: 1200,
      output_tokens: 87,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 4000,
    };
    expect(costOfUsage(usage, sonnet)).toEqual({ costUsd: 0.00723, unpriced: false });
  });

  it("counts each rate separately (no rate is mixed up with another)", () => {
    expect(costOfUsage({ input_tokens: 1_000_000, output_tokens: 0 }, sonnet).costUsd).toBe(3);
    expect(costOfUsage({ input_tokens: 0, output_tokens: 1_000_000 }, sonnet).costUsd).toBe(15);
    expect(
      costOfUsage({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 1_000_000 }, sonnet)
        .costUsd,
    ).toBe(3.75);
    expect(
      costOfUsage({ input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 1_000_000 }, sonnet).costUsd,
    ).toBe(0.3);
  });

  it("treats missing or null cache counts as zero", () => {
    // 10 in × $1 + 20 out × $5 = $0.00001 + $0.0001 = $0.00011
    const haiku = { inputPerMtok: 1, outputPerMtok: 5, cacheWritePerMtok: 1.25, cacheReadPerMtok: 0.1 };
    expect(
      costOfUsage(
        {
          input_tokens: 10,
          output_tokens: 20,
          cache_creation_input_tokens: null,
          cache_read_input_tokens: null,
        },
        haiku,
      ),
    ).toEqual({ costUsd: 0.00011, unpriced: false });
    expect(costOfUsage({ input_tokens: 10, output_tokens: 20 }, haiku).costUsd).toBe(0.00011);
  });

  it("is exact with 4-decimal catalogue prices where floating point would drift", () => {
    // 1 in × $0.1/Mtok + 1 out × $0.2/Mtok: naive floats give 3.0000000000000004e-7; exactly $0.0000003.
    const cheap = { inputPerMtok: 0.1, outputPerMtok: 0.2, cacheWritePerMtok: 0.1234, cacheReadPerMtok: 0.1 };
    expect(
      costOfUsage({ input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0 }, cheap).costUsd,
    ).toBe(3e-7);
    // 7 cache writes × $0.1234/Mtok = $0.0000008638
    expect(
      costOfUsage({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 7 }, cheap).costUsd,
    ).toBe(8.638e-7);
    // A long run: 2.5M in × $5 + 400k out × $25 + 1.2M cache reads × $0.5 = 12.5 + 10 + 0.6 = $23.1
    const opus = { inputPerMtok: 5, outputPerMtok: 25, cacheWritePerMtok: 6.25, cacheReadPerMtok: 0.5 };
    expect(
      costOfUsage(
        { input_tokens: 2_500_000, output_tokens: 400_000, cache_read_input_tokens: 1_200_000 },
        opus,
      ).costUsd,
    ).toBe(23.1);
  });

  it("never guesses: an unknown model costs 0 and is marked unpriced", () => {
    expect(costOfUsage({ input_tokens: 5000, output_tokens: 5000 }, null)).toEqual({
      costUsd: 0,
      unpriced: true,
    });
    expect(costOfUsage({ input_tokens: 5000, output_tokens: 5000 }, undefined)).toEqual({
      costUsd: 0,
      unpriced: true,
    });
  });

  it("a free model is priced at zero, not unpriced", () => {
    const free = { inputPerMtok: 0, outputPerMtok: 0, cacheWritePerMtok: 0, cacheReadPerMtok: 0 };
    expect(costOfUsage({ input_tokens: 100, output_tokens: 100 }, free)).toEqual({
      costUsd: 0,
      unpriced: false,
    });
  });

  it("adds costs, staying unpriced once any part is", () => {
    expect(addCosts({ costUsd: 1.5, unpriced: false }, { costUsd: 0.25, unpriced: false })).toEqual({
      costUsd: 1.75,
      unpriced: false,
    });
    expect(addCosts({ costUsd: 1.5, unpriced: false }, { costUsd: 0, unpriced: true }).unpriced).toBe(true);
  });
});

describe("a long-prompt tier", () => {
  // Claude Haiku 5.5's published tiers: up to 100,000 prompt tokens $0.10 / $0.50 / $0.125 / $0.01, over it
  // every token of the request (output included) at $0.50 / $2.50 / $0.625 / $0.05.
  const haiku = {
    inputPerMtok: 0.1,
    outputPerMtok: 0.5,
    cacheWritePerMtok: 0.125,
    cacheReadPerMtok: 0.01,
    longPromptAboveTokens: 100_000,
    longInputPerMtok: 0.5,
    longOutputPerMtok: 2.5,
    longCacheWritePerMtok: 0.625,
    longCacheReadPerMtok: 0.05,
  };

  it("prices a request at or under the threshold at the base rates", () => {
    // Prompt 40,000 + 10,000 + 50,000 = exactly 100,000: base. 40,000×0.1 + 2,000×0.5 + 10,000×0.125 +
    // 50,000×0.01 = 4,000 + 1,000 + 1,250 + 500 = 6,750 µ$ = $0.00675.
    const usage = {
      input_tokens: 40_000,
      output_tokens: 2_000,
      cache_creation_input_tokens: 10_000,
      cache_read_input_tokens: 50_000,
    };
    expect(costOfUsage(usage, haiku)).toEqual({ costUsd: 0.00675, unpriced: false });
  });

  it("prices every token of a request over the threshold at the long rates, output included", () => {
    // One prompt token more: 40,001×0.5 + 2,000×2.5 + 10,000×0.625 + 50,000×0.05 = 20,000.5 + 5,000 +
    // 6,250 + 2,500 = 33,750.5 µ$.
    const usage = {
      input_tokens: 40_001,
      output_tokens: 2_000,
      cache_creation_input_tokens: 10_000,
      cache_read_input_tokens: 50_000,
    };
    expect(costOfUsage(usage, haiku).costUsd).toBeCloseTo(0.0337505, 12);
  });

  it("ignores a tier that is not whole", () => {
    const usage = { input_tokens: 200_000, output_tokens: 0 };
    expect(costOfUsage(usage, { ...haiku, longOutputPerMtok: null }).costUsd).toBe(0.02);
  });
});
