/**
 * One run of `npm run risk:sim` (e2e/perf/risk-sim.ts starts it in its own process, on a fresh
 * database): a synthetic month replayed through the real pipeline, guard and policies, with real
 * passkey step-ups (the software authenticator), at simulated times. RISK_SIM_POLICY=static removes
 * the risk entry from the payment policy, which is the fixed table Vault had before (lib/risk).
 * Prints one JSON line.
 *   node --import tsx --import ./prisma/tools/outside-next.mjs e2e/perf/risk-replay.ts
 */
import { randomBytes, randomUUID } from "node:crypto";
import { random } from "../support/random";
import { SIM, type AttackKind } from "./risk-scenarios";

// The simulated clock: lib/ reads the time through Date, so the month runs at the times it replays.
// Installed before anything from lib/ is imported.
const RealDate = Date;
let offsetMs = 0;
class SimDate extends RealDate {
  constructor(...args: [] | [string | number | Date]) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(args[0]);
  }
  static now() {
    return RealDate.now() + offsetMs;
  }
}
globalThis.Date = SimDate as DateConstructor;
const at = (t: number) => {
  offsetMs = t - RealDate.now();
};

const { db } = await import("@/lib/db");
const { perform } = await import("@/lib/assurance/pipeline");
const { StepUpRequired } = await import("@/lib/assurance/guard");
const { POLICIES } = await import("@/lib/assurance/policy");
const { startRecoveryHold } = await import("@/lib/assurance/recovery-hold");
const { transfer } = await import("@/lib/banking/transfers");
const { payeeAdd } = await import("@/lib/banking/payees");
const { DomainError } = await import("@/lib/errors");
const { recoverySignInClaims } = await import("@/lib/auth/claims");
const { rememberDevice } = await import("@/lib/risk/device");
const { addPasskey, settle } = await import("../../lib/testing/fixtures");
const { stepUpInProcess } = await import("../../lib/testing/step-up-in-process");
type SessionUser = import("@/lib/auth/current-user").SessionUser;
type SoftAuthenticator = import("../../lib/testing/soft-authenticator").SoftAuthenticator;

const POLICY = process.env.RISK_SIM_POLICY === "static" ? "static" : "risk";
if (POLICY === "static") delete (POLICIES["transfer.payee"] as { risk?: unknown }).risk;

const rand = random(SIM.seed);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = RealDate.now();
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const IBANS = ["GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00", "FR14 2004 1010 0505 0001 3M02 606"];
const decimal = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;

type Payees = Record<"landlord" | "utility" | "phone" | "grocer" | "shop", { id: string; minor: number }>;
type Customer = {
  index: number;
  id: string;
  email: string;
  key: SoftAuthenticator;
  checking: string;
  savings: string;
  payees: Payees;
  deviceId: string;
  home: string;
  mobile: string;
};

/** An established customer: four months of standing, a known device, and three months of habits as history. */
async function establish(index: number): Promise<Customer> {
  const users = await import("@/lib/auth/users");
  const user = await users.createUser(
    users.signUpSchema.parse({
      name: `Customer ${index}`,
      email: `sim-${index}-${randomUUID()}@example.com`,
      password: "a long sim passphrase",
    }),
  );
  const key = await addPasskey(db, user.id, "Phone");
  const [checking, savings] = await db.account.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
  // Money and limits are not what is simulated: enough of both for any month.
  await db.account.update({ where: { id: checking.id }, data: { balance: 100_000_000n } });
  await db.user.update({ where: { id: user.id }, data: { dailyLimitMinor: 5_000_000n } });
  const h = SIM.habits;
  const amounts = {
    landlord: rand.int(h.rent.minMinor, h.rent.maxMinor),
    utility: rand.int(h.utilities.minMinor, h.utilities.maxMinor),
    phone: rand.int(h.phone.minMinor, h.phone.maxMinor),
    grocer: rand.int(h.groceries.minMinor, h.groceries.maxMinor),
    shop: rand.int(h.largePurchase.minMinor, h.largePurchase.maxMinor),
  };
  const payees = {} as Payees;
  for (const [name, minor] of Object.entries(amounts) as [keyof Payees, number][]) {
    const payee = await db.payee.create({
      data: {
        userId: user.id,
        name,
        iban: IBANS[0].replaceAll(" ", ""),
        currency: "USD",
        firstPaidAt: new Date(START - 100 * DAY),
      },
    });
    payees[name] = { id: payee.id, minor };
  }
  await settle(db, user.id, 120);
  // History: monthly rent and bills, groceries ten times a month, one purchase at the shop.
  const history: { payee: keyof Payees; minor: number; t: number }[] = [];
  for (let m = 1; m <= SIM.historyMonths; m++) {
    const monthStart = START - m * 30 * DAY;
    history.push({ payee: "landlord", minor: amounts.landlord, t: monthStart + DAY });
    history.push({ payee: "utility", minor: amounts.utility, t: monthStart + 5 * DAY });
    history.push({ payee: "phone", minor: amounts.phone, t: monthStart + 10 * DAY });
    for (let g = 0; g < 10; g++)
      history.push({ payee: "grocer", minor: wobble(amounts.grocer, 0.5), t: monthStart + g * 3 * DAY + 17 * HOUR });
  }
  history.push({ payee: "shop", minor: amounts.shop, t: START - 45 * DAY });
  await db.transfer.createMany({
    data: history.map((p) => ({
      reference: `SIM-${randomUUID()}`,
      userId: user.id,
      fromAccountId: checking.id,
      toAccountId: savings.id,
      payeeId: payees[p.payee].id,
      amount: BigInt(p.minor),
      currency: "USD",
      idempotencyKey: randomUUID(),
      sca: "STEP_UP",
      createdAt: new Date(p.t),
    })),
  });
  const home = `100.64.${index % 250}.7`;
  const mobile = `100.65.${index % 250}.20`;
  await db.session.createMany({
    data: [40, 25, 12, 6].map((daysAgo, i) => ({
      id: `hist-${randomUUID()}`,
      userId: user.id,
      method: "passkey",
      ip: i === 2 ? mobile : home,
      createdAt: new Date(START - daysAgo * DAY),
      expiresAt: new Date(START - daysAgo * DAY + 8 * HOUR),
    })),
  });
  const deviceId = randomBytes(16).toString("base64url");
  await rememberDevice(db, user.id, deviceId, UA, new Date(START - 30 * DAY));
  return {
    index,
    id: user.id,
    email: user.email,
    key,
    checking: checking.id,
    savings: savings.id,
    payees,
    deviceId,
    home,
    mobile,
  };
}

function wobble(minor: number, by: number) {
  return Math.max(100, Math.round(minor * (1 - by + 2 * by * rand.next())));
}

/** A signed-in browser at time t: a session row (so later sign-ins see its network) and the actor. */
async function signIn(
  c: Customer,
  t: number,
  ip: string,
  deviceId: string | null,
  method = "passkey",
): Promise<SessionUser> {
  const sid = `sim-${randomUUID()}`;
  const signedInAt = new Date(t - 5 * 60_000);
  await db.session.create({
    data: { id: sid, userId: c.id, method, ip, createdAt: signedInAt, expiresAt: new Date(t + 8 * HOUR) },
  });
  return {
    id: c.id,
    email: c.email,
    name: `Customer ${c.index}`,
    sid,
    claims: { amr: ["pwd"], acr: "urn:vault:acr:aal1", auth_time: Math.floor(signedInAt.getTime() / 1000) },
    context: { deviceId, ip, userAgent: UA, signInIp: ip, signedInAt },
  };
}

type Event = { t: number; c: Customer; kind: "pay" | "add"; payee: string; minor: number; device?: string };

const tally = {
  actions: 0,
  prompts: 0,
  promptsByKind: { pay: 0, add: 0 },
  exemptions: { EXEMPT_LOW_VALUE: 0, EXEMPT_TRA: 0 } as Record<string, number>,
  falseHolds: 0,
  errors: [] as string[],
};

/** A legitimate action: when asked, the customer confirms with their passkey (a real assertion). */
async function legit(e: Event, user: SessionUser): Promise<string | null> {
  tally.actions++;
  const run = () =>
    e.kind === "pay"
      ? perform(transfer, user, {
          fromAccountId: e.c.checking,
          to: `payee:${e.payee}`,
          amount: decimal(e.minor),
          idempotencyKey: randomUUID(),
        })
      : perform(payeeAdd, user, { name: e.payee, scheme: "iban", iban: rand.pick(IBANS) });
  try {
    const done = await run();
    if (e.kind === "pay") {
      const row = await db.transfer.findUniqueOrThrow({
        where: { id: (done as { id: string }).id },
        select: { sca: true },
      });
      if (row.sca in tally.exemptions) tally.exemptions[row.sca]++;
    }
    return null;
  } catch (err) {
    if (err instanceof DomainError) {
      if (err.code === "high_risk" || err.code === "recovery_hold") tally.falseHolds++;
      else tally.errors.push(`${e.kind}: ${err.code}`);
      return null;
    }
    if (!(err instanceof StepUpRequired)) throw err;
    tally.prompts++;
    tally.promptsByKind[e.kind]++;
    const result = await stepUpInProcess(user, err.intentId, e.c.key);
    if (!result.ok) {
      if (result.code === "operation_failed" && /more than a day/.test(result.message)) tally.falseHolds++;
      else tally.errors.push(`${e.kind} step-up: ${result.code} ${result.message}`);
      return null;
    }
    if (e.kind === "add") {
      const added = await db.payee.findFirstOrThrow({
        where: { userId: e.c.id, name: e.payee },
        orderBy: { createdAt: "desc" },
      });
      return added.id;
    }
    return null;
  }
}

/** The month's legitimate actions of every customer, in time order. */
function monthOf(customers: Customer[]): Event[] {
  const h = SIM.habits;
  const events: Event[] = [];
  for (const c of customers) {
    const day = (d: number) => START + d * DAY + rand.int(8, 21) * HOUR + rand.int(0, 59) * 60_000;
    events.push({
      t: day(rand.int(0, 3)),
      c,
      kind: "pay",
      payee: c.payees.landlord.id,
      minor: c.payees.landlord.minor,
    });
    events.push({
      t: day(rand.int(4, 8)),
      c,
      kind: "pay",
      payee: c.payees.utility.id,
      minor: wobble(c.payees.utility.minor, h.utilities.wobble),
    });
    events.push({ t: day(rand.int(9, 12)), c, kind: "pay", payee: c.payees.phone.id, minor: c.payees.phone.minor });
    const visits = rand.int(h.groceries.perMonth[0], h.groceries.perMonth[1]);
    for (let g = 0; g < visits; g++)
      events.push({
        t: day(rand.int(0, SIM.month.days - 1)),
        c,
        kind: "pay",
        payee: c.payees.grocer.id,
        minor: wobble(c.payees.grocer.minor, 0.5),
      });
    if (rand.chance(h.largePurchase.chance))
      events.push({
        t: day(rand.int(0, SIM.month.days - 1)),
        c,
        kind: "pay",
        payee: c.payees.shop.id,
        minor: rand.int(h.largePurchase.minMinor, h.largePurchase.maxMinor),
      });
    if (rand.chance(h.newPayee.chance)) {
      const d = rand.int(0, SIM.month.days - 3);
      const name = `New payee ${c.index}`;
      events.push({ t: day(d), c, kind: "add", payee: name, minor: 0 });
      events.push({
        t: day(d) + 10 * 60_000,
        c,
        kind: "pay",
        payee: name,
        minor: rand.int(h.newPayee.minMinor, h.newPayee.maxMinor),
      });
      if (rand.chance(h.newPayee.secondPaymentChance))
        events.push({
          t: day(d + 2),
          c,
          kind: "pay",
          payee: name,
          minor: rand.int(h.newPayee.minMinor, h.newPayee.maxMinor),
        });
    }
    const newDeviceFrom = rand.chance(h.newDevice.chance) ? START + rand.int(1, SIM.month.days - 1) * DAY : Infinity;
    const laptop = randomBytes(16).toString("base64url");
    for (const e of events) if (e.c === c && e.t >= newDeviceFrom) e.device = laptop;
  }
  return events.sort((a, b) => a.t - b.t);
}

type AttackResult = { kind: AttackKind; moved: number; challenged: number; refused: number };

/** One takeover attempt on its own victim; "moved" counts payments that went through. */
async function attack(kind: AttackKind, c: Customer, t: number, n: number): Promise<AttackResult> {
  const result: AttackResult = { kind, moved: 0, challenged: 0, refused: 0 };
  const thiefIp = `203.0.113.${(n % 250) + 1}`;
  const attempt = async (user: SessionUser, run: () => Promise<unknown>) => {
    try {
      await run();
      result.moved++;
    } catch (err) {
      if (err instanceof StepUpRequired) result.challenged++;
      else if (err instanceof DomainError) result.refused++;
      else throw err;
    }
    void user;
  };
  const pay = (user: SessionUser, payee: string, minor: number) =>
    attempt(user, () =>
      perform(transfer, user, {
        fromAccountId: c.checking,
        to: `payee:${payee}`,
        amount: decimal(minor),
        idempotencyKey: randomUUID(),
      }),
    );
  const addPayee = (user: SessionUser) =>
    attempt(user, () => perform(payeeAdd, user, { name: "Mule account", scheme: "iban", iban: IBANS[2] }));
  at(t);
  // The victim is signed in at home; an infostealer copies both cookies (session and device).
  const victimSession = await signIn(c, t - 30 * 60_000, c.home, c.deviceId);
  const stolenCookies: SessionUser = { ...victimSession, context: { ...victimSession.context!, ip: thiefIp } };
  switch (kind) {
    case "stolen_password_new_device": {
      const thief = await signIn(c, t, thiefIp, null, "password");
      for (const p of [c.payees.grocer, c.payees.phone, c.payees.landlord]) await pay(thief, p.id, 9_900);
      await addPayee(thief);
      break;
    }
    case "stolen_session_new_network":
      for (const p of [c.payees.grocer, c.payees.phone, c.payees.landlord]) await pay(stolenCookies, p.id, 9_900);
      await addPayee(stolenCookies);
      break;
    case "password_and_recovery_codes": {
      await db.$transaction((tx) => startRecoveryHold(tx, c.id, new Date()));
      const thief = { ...(await signIn(c, t, thiefIp, null, "recovery")), claims: recoverySignInClaims() };
      for (const p of [c.payees.grocer, c.payees.landlord]) await pay(thief, p.id, 9_900);
      await addPayee(thief);
      break;
    }
    case "slow_drain": {
      const spec = SIM.attacks.find((a) => a.kind === "slow_drain")!;
      for (let i = 0; i < spec.payments; i++) {
        at(t + i * 3 * 60_000);
        await pay(stolenCookies, c.payees.grocer.id, spec.amountMinor);
      }
      break;
    }
    case "new_payee_then_payments": {
      const spec = SIM.attacks.find((a) => a.kind === "new_payee_then_payments")!;
      await addPayee(stolenCookies);
      const mule = await db.payee.findFirst({ where: { userId: c.id, name: "Mule account" } });
      for (let i = 0; i < spec.payments; i++) await pay(stolenCookies, mule?.id ?? "missing", spec.amountMinor);
      break;
    }
  }
  return result;
}

const t0 = performance.now();
at(START - 121 * DAY);
const customers: Customer[] = [];
for (let i = 0; i < SIM.customers; i++) customers.push(await establish(i));
const victims: Customer[] = [];
for (const a of SIM.attacks)
  for (let v = 0; v < a.victims; v++) victims.push(await establish(SIM.customers + victims.length));
const setupMs = performance.now() - t0;

const newPayeeIds = new Map<string, string>();
for (const e of monthOf(customers)) {
  at(e.t);
  const network = rand.chance(SIM.habits.travelShare)
    ? `198.18.${rand.int(0, 255)}.9`
    : rand.chance(SIM.habits.mobileShare)
      ? e.c.mobile
      : e.c.home;
  const user = await signIn(e.c, e.t, network, e.device ?? e.c.deviceId);
  const payee = e.kind === "pay" && e.payee.startsWith("New payee") ? newPayeeIds.get(e.payee) : e.payee;
  if (!payee) continue; // its payee was never added (the add failed): nothing to pay
  const added = await legit({ ...e, payee }, user);
  if (added) newPayeeIds.set(e.payee, added);
}

const attacks: AttackResult[] = [];
let n = 0;
for (const a of SIM.attacks)
  for (let v = 0; v < a.victims; v++) {
    attacks.push(
      await attack(a.kind, victims[n], START + rand.int(1, SIM.month.days - 1) * DAY + rand.int(0, 23) * HOUR, n),
    );
    n++;
  }

await db.$disconnect();
console.log(JSON.stringify({ policy: POLICY, legit: tally, attacks, setupMs, totalMs: performance.now() - t0 }));
