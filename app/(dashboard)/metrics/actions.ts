"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/actions/authed-action";
import { formatUsd } from "@/lib/format";
import { setSpendCap, spendCapSchema } from "@/lib/metrics/spend-cap";

export const setSpendCapAction = authedAction(
  spendCapSchema,
  "settings:manage",
  async (input, actor) => {
    const status = await setSpendCap(actor, input);
    revalidatePath("/metrics");
    revalidatePath("/settings/general");
    return { capUsd: status.capUsd };
  },
  (result) =>
    result.capUsd === null ? "Spend cap removed" : `Monthly spend cap set to ${formatUsd(result.capUsd)}`,
);
