/**
 * Working hours by schedule (D210, issue 25 item 8): the setting's rules fail at load with their field path, the
 * scheduled start gives each service back exactly the bounds its scalable target holds (no drift in working hours),
 * the database's scheduler role may stop and start the primary only, and the estimate prices the scheduled hours for
 * the tasks and the RDS primary only. Rules are checked on Atena's typed config; the resources on its one built
 * workspace (the shared synthesis).
 */
import { loadEnvironments } from "../../environments";
import { ATENA } from "../../environments/atena";
import { databaseStart, parseCron, scheduledMonthHours, scheduledWeek } from "../../lib/core/schedule";
import { estimate } from "../../tools/cost/estimate";
import { HOURS_PER_MONTH } from "../../tools/cost/prices";
import { productProblems, type Mutable } from "../helpers/config";
import { resource, resourcesOf, synthProduct } from "../helpers/synth";

/** Problems of Atena's prod file (over its product's defaults) after `change`. */
const problems = (change: (e: Mutable) => void): string[] => productProblems(ATENA, "prod", change);

const WEEKDAYS = { stop: "cron(0 17 ? * MON-FRI *)", start: "cron(0 9 ? * MON-FRI *)", timezone: "UTC" };

/** The minutes of a week (0 = Sunday 00:00) an expression fires at, sorted. */
function firings(expression: string): number[] {
  const w = parseCron(expression);
  if (typeof w === "string") throw new Error(w);
  const out: number[] = [];
  for (const d of w.days) for (const h of w.hours) for (const m of w.minutes) out.push(d * 1440 + h * 60 + m);
  return out.sort((a, b) => a - b);
}
/** `firings` moved `lead` minutes earlier, round the week. */
const earlier = (minutes: number[], lead: number) =>
  minutes.map((t) => (t - lead + 7 * 1440) % (7 * 1440)).sort((a, b) => a - b);

describe("schedule rules fail at load with their field path", () => {
  test("a workspace that may not stop refuses a schedule", () => {
    expect(problems((e) => Object.assign(e, { stoppable: false, schedule: WEEKDAYS }))).toContainEqual(
      expect.stringMatching(/^prod\.schedule: prod cannot be stopped \(stoppable is false\)/),
    );
  });

  test("an expression without EventBridge Scheduler's six cron fields is refused at its field", () => {
    const found = problems((e) => (e.schedule = { ...WEEKDAYS, stop: "cron(0 17 * * MON-FRI)" }));
    expect(found).toEqual([
      expect.stringMatching(/^prod\.schedule\.stop: .*has 5 fields; EventBridge Scheduler's cron has 6/),
    ]);
  });

  test("a rate expression is not a cron expression", () => {
    expect(problems((e) => (e.schedule = { ...WEEKDAYS, start: "rate(12 hours)" }))).toEqual([
      expect.stringMatching(/^prod\.schedule\.start: "rate\(12 hours\)" is not a cron\(\.\.\.\) expression/),
    ]);
  });

  test("day-of-month and day-of-week both set is refused (one must be ?)", () => {
    expect(problems((e) => (e.schedule = { ...WEEKDAYS, stop: "cron(0 17 * * MON-FRI *)" }))).toEqual([
      expect.stringMatching(/^prod\.schedule\.stop: .*exactly one of day-of-month and day-of-week must be \?/),
    ]);
  });

  test("a value outside its field's range is refused", () => {
    expect(problems((e) => (e.schedule = { ...WEEKDAYS, start: "cron(0 25 ? * MON-FRI *)" }))).toEqual([
      expect.stringMatching(/^prod\.schedule\.start: .*hours "25" is outside 0-23/),
    ]);
  });

  test("a schedule that does not repeat weekly cannot be priced and is refused", () => {
    expect(problems((e) => (e.schedule = { ...WEEKDAYS, stop: "cron(0 17 1 * ? *)" }))).toEqual([
      expect.stringMatching(/^prod\.schedule\.stop: .*repeats every week/),
    ]);
  });

  test("a time zone that is not an IANA name is refused", () => {
    for (const timezone of ["Sao Paulo", "+03:00", "America/Nowhere"])
      expect(problems((e) => (e.schedule = { ...WEEKDAYS, timezone }))).toEqual([
        expect.stringMatching(/^prod\.schedule\.timezone: must be an IANA time zone name/),
      ]);
  });

  test("a backup window while the schedule has the database stopped is refused at its field (RDS backs up only an available instance)", () => {
    const found = problems((e) => {
      e.schedule = WEEKDAYS;
      (e.database as Mutable).backupWindow = "03:00-04:00";
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^prod\.database\.backupWindow: must fall inside the scheduled running hours: .*03:00-04:00 UTC is MON 03:00 UTC/,
      ),
    ]);
  });

  test("the backup window is read in the schedule's time zone, in standard and in daylight time", () => {
    const lisbon = { ...WEEKDAYS, timezone: "Europe/Lisbon" }; // UTC+0 in January, UTC+1 in July
    const withWindow = (backupWindow: string) =>
      problems((e) => {
        e.schedule = lisbon;
        (e.database as Mutable).backupWindow = backupWindow;
      });
    expect(withWindow("12:00-12:30")).toEqual([]);
    // 16:30 UTC is 16:30 in Lisbon's winter (running) but 17:30 in its summer (stopped at 17:00).
    expect(withWindow("16:30-17:00")).toEqual([expect.stringMatching(/is MON 17:30 Europe\/Lisbon \(UTC\+1\)/)]);
  });

  test("stop and start at the same minute is refused on the schedule", () => {
    expect(problems((e) => (e.schedule = { ...WEEKDAYS, start: WEEKDAYS.stop }))).toEqual([
      "prod.schedule: stop and start fire at the same minute",
    ]);
  });

  test("a database lead needs a start it can move: one with several hours is refused at the lead's field", () => {
    expect(problems((e) => (e.schedule = { ...WEEKDAYS, start: "cron(0 9,13 ? * MON-FRI *)" }))).toContainEqual(
      expect.stringMatching(
        /^prod\.schedule\.databaseLeadMinutes: the database starts \d+ minutes before the services/,
      ),
    );
  });

  test("read replicas are refused: RDS cannot stop an instance that has one", () => {
    expect(problems((e) => (e.database.readReplicas = 1))).toEqual([
      expect.stringMatching(
        /^prod\.database\.readReplicas: no read replicas while the database is scheduled: RDS cannot stop .*USER_StopInstance.*got 1$/,
      ),
    ]);
  });
});

describe("scheduled hours", () => {
  test("weekdays 09:00-17:00 run 40 h a week, priced over a 730-hour month", () => {
    expect(scheduledWeek(WEEKDAYS)).toEqual({ runningHours: 40, longestStopHours: 64 });
    expect(scheduledMonthHours(WEEKDAYS, HOURS_PER_MONTH)).toBeCloseTo((40 * HOURS_PER_MONTH) / 168, 1);
  });

  test("the database starts its lead before every start of the services, across midnight onto the day before", () => {
    for (const start of ["cron(0 9 ? * MON-FRI *)", "cron(5 0 ? * MON,WED *)", "cron(30 6 ? * * *)"])
      for (const lead of [0, 15, 60])
        expect(firings(databaseStart({ start, databaseLeadMinutes: lead }))).toEqual(earlier(firings(start), lead));
  });

  test("names and numbers of weekdays are the same days (1 = SUN)", () => {
    expect(parseCron("cron(0 9 ? * 2-6 *)")).toEqual(parseCron("cron(0 9 ? * MON-FRI *)"));
  });
});

const { stacks } = synthProduct(ATENA);
const stack = stacks.prod;
const [atena] = loadEnvironments(ATENA.environments, ATENA);

describe("the scheduled resources of a built workspace", () => {
  const compute = stack.modules.compute;
  const targets = resourcesOf(compute, "aws_appautoscaling_target");

  test("every scalable target has a stop at zero and a start back to the target's own bounds (no drift in working hours)", () => {
    expect(Object.keys(targets).length).toBeGreaterThan(0);
    for (const [name, target] of Object.entries(targets)) {
      const stop = resource(compute, "aws_appautoscaling_scheduled_action", `${name}_stop`);
      const start = resource(compute, "aws_appautoscaling_scheduled_action", `${name}_start`);
      expect(stop.scalable_target_action).toEqual({ min_capacity: "0", max_capacity: "0" });
      expect(start.scalable_target_action).toEqual({
        min_capacity: target.min_capacity,
        max_capacity: target.max_capacity,
      });
      for (const action of [stop, start])
        expect(action.resource_id).toBe(`\${aws_appautoscaling_target.${name}.resource_id}`);
    }
  });

  test("the database's start schedule fires its lead before the services' start action", () => {
    const calls = stack.root.module;
    expect(firings(calls.database.schedule_start)).toEqual(
      earlier(firings(calls.compute.schedule_start), atena.schedule!.databaseLeadMinutes),
    );
  });

  test("the scheduler's role may stop and start the primary only, and trusts the scheduler for this account only", () => {
    const database = stack.modules.database;
    const policy = JSON.parse(resource(database, "aws_iam_role_policy", "schedule").policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Action: ["rds:StopDBInstance", "rds:StartDBInstance"],
        Resource: "${aws_db_instance.postgres.arn}",
      }),
    ]);
    const trust = JSON.parse(resource(database, "aws_iam_role", "schedule").assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: "scheduler.amazonaws.com" });
    expect(Object.keys(trust.Condition.StringEquals)).toEqual(["aws:SourceAccount"]);
    for (const id of ["stop", "start"]) {
      const schedule = resource(database, "aws_scheduler_schedule", id);
      expect(schedule.flexible_time_window).toEqual({ mode: "OFF" });
      expect(schedule.target.role_arn).toBe("${aws_iam_role.schedule.arn}");
    }
  });
});

describe("the estimate of a scheduled workspace", () => {
  test("only the tasks, Container Insights and the RDS primary are priced below the month; NAT, ALB and Redis are not", () => {
    const scheduled = estimate(atena, stack);
    const unscheduled = estimate({ ...atena, schedule: undefined }, stack);
    const moved = (item: string) => /task\(s\)|Container Insights|^db\./.test(item);
    const strip = (item: string) => item.replace(/, \d+ h$/, "").replace(/[\d.]+/g, "#");
    for (const line of scheduled.lines) {
      const before = unscheduled.lines.find((l) => l.module === line.module && strip(l.item) === strip(line.item));
      expect(before).toBeDefined();
      if (moved(line.item)) expect(line.usd).toBeLessThan(before!.usd);
      else expect(line.usd).toBeCloseTo(before!.usd, 6);
    }
    expect(scheduled.lines.filter((l) => moved(l.item)).length).toBeGreaterThanOrEqual(2);
  });
});
