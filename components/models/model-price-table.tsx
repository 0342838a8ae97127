import { Table, Td, Th } from "@/components/ui/table";
import { formatMoney, formatTokens } from "@/lib/models/format";
import { formatRetirementDate, retirementOf } from "@/lib/models/lifecycle";
import { DeleteModelDialog } from "./delete-model-dialog";
import { ModelPriceDialog, type PriceRow } from "./model-price-dialog";

const PRICE_COLUMNS = [
  ["inputPerMtok", "Input"],
  ["outputPerMtok", "Output"],
  ["cacheWritePerMtok", "Cache write"],
  ["cacheReadPerMtok", "Cache read"],
] as const;

/** The catalogue: list prices per million tokens; admins get row actions. */
export function ModelPriceTable({ prices, canManage }: { prices: PriceRow[]; canManage: boolean }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Model</Th>
          {PRICE_COLUMNS.map(([key, label]) => (
            <Th key={key} className="text-right">
              {label}
              <span className="font-normal"> / MTok</span>
            </Th>
          ))}
          <Th className="text-right">Context window</Th>
          {canManage ? (
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {prices.map((price) => (
          <tr key={price.model} className="hover:bg-muted/50 [&:last-child>td]:border-b-0">
            <Td className="max-w-80">
              <span className="font-mono text-xs">{price.model}</span>
              <ModelNote price={price} />
            </Td>
            {PRICE_COLUMNS.map(([key]) => (
              <Td key={key} className="text-right tabular">
                {formatMoney(price[key])}
              </Td>
            ))}
            <Td
              className="text-right tabular"
              title={`${price.contextWindow.toLocaleString("en-US")} tokens`}
            >
              {formatTokens(price.contextWindow)}
            </Td>
            {canManage ? (
              <Td className="w-0 whitespace-nowrap py-1 text-right">
                <ModelPriceDialog price={price} />
                <DeleteModelDialog model={price.model} />
              </Td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** What the row's numbers can't say: the model's retirement, or its long-prompt tier. */
function ModelNote({ price }: { price: PriceRow }) {
  const retirement = retirementOf(price.model);
  if (retirement) {
    return (
      <p className="text-xs text-warning" data-testid="model-retirement">
        {retirement.retired ? "Retired" : "Retires"} {formatRetirementDate(retirement.date)}: not for new
        agents.
      </p>
    );
  }
  const tier = longPromptTier(price);
  return tier ? (
    <p
      className="text-xs text-muted-foreground"
      data-testid="long-prompt-tier"
      title="A request whose prompt (input, cache write and cache read tokens) is over this size is priced entirely at these rates, output included."
    >
      Prompts over {formatTokens(tier.above)} tokens: {tier.rates.map(formatMoney).join(" / ")}
    </p>
  ) : null;
}

function longPromptTier(price: PriceRow) {
  const rates = [
    price.longInputPerMtok,
    price.longOutputPerMtok,
    price.longCacheWritePerMtok,
    price.longCacheReadPerMtok,
  ];
  if (price.longPromptAboveTokens == null || rates.some((rate) => rate == null)) return null;
  return { above: price.longPromptAboveTokens, rates: rates as number[] };
}
