/**
 * The working-hours schedule of a stoppable workspace (seed 002 "Liga/Desliga": "Considere automatizar o stop com um
 * schedule", D210): two cron expressions and a time zone. The database module stops and starts the RDS primary with
 * EventBridge Scheduler, the compute module scales each service to zero and back with Application Auto Scaling
 * scheduled actions; the NAT gateway, the ALB and ElastiCache have no stop API and keep running.
 *
 * Declared once here: the setting's schema, its rules (an EventBridge Scheduler cron expression, an IANA time zone)
 * and the running hours a week the two expressions give, which `npm run cost` prices.
 * EventBridge Scheduler's cron syntax: https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based
 */
import { z } from "zod";

/** Hours a week. */
const WEEK_HOURS = 7 * 24;
const WEEK_MINUTES = WEEK_HOURS * 60;

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/** One field of a cron expression: its range and, for months and weekdays, its names (numbered from `min`). */
interface FieldSpec {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { label: "minutes", min: 0, max: 59 },
  { label: "hours", min: 0, max: 23 },
  { label: "day-of-month", min: 1, max: 31 },
  { label: "month", min: 1, max: 12, names: MONTH_NAMES },
  { label: "day-of-week", min: 1, max: 7, names: DAY_NAMES },
  { label: "year", min: 1970, max: 2199 },
];

/** A cron field's values (`*`, `a`, `a-b`, `*\/n`, `a/n`, `a-b/n`, lists of those), or a problem. */
function fieldValues(text: string, spec: FieldSpec): Set<number> | string {
  const values = new Set<number>();
  const value = (v: string): number | undefined => {
    const byName = spec.names?.indexOf(v.toUpperCase()) ?? -1;
    const n = byName >= 0 ? spec.min + byName : /^\d+$/.test(v) ? Number(v) : NaN;
    return Number.isInteger(n) && n >= spec.min && n <= spec.max ? n : undefined;
  };
  for (const part of text.split(",")) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!m)
      return `${spec.label} "${text}": use numbers, ranges (a-b), lists (a,b) and steps (*/n); L, W and # are not supported here`;
    const [from, to] = m[1] === "*" ? [spec.min, spec.max] : m[1].split("-").map(value);
    const last = m[1] === "*" || m[1].includes("-") ? to : m[2] !== undefined ? spec.max : from;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (from === undefined || last === undefined || from > last || step < 1)
      return `${spec.label} "${part}" is outside ${spec.min}-${spec.max}${spec.names ? ` (or ${spec.names[0]}-${spec.names[spec.names.length - 1]})` : ""}`;
    for (let v = from; v <= last; v += step) values.add(v);
  }
  return values;
}

/** A parsed expression: minutes, hours and weekdays (0 = Sunday) it fires at. */
interface Weekly {
  readonly minutes: Set<number>;
  readonly hours: Set<number>;
  readonly days: Set<number>;
}

/** The fields of `cron(...)` as written, or undefined when it is not one. */
function cronFields(expression: string): string[] | undefined {
  return /^cron\((.*)\)$/.exec(expression)?.[1].trim().split(/\s+/);
}

/**
 * Parses `cron(minutes hours day-of-month month day-of-week year)`. Besides EventBridge Scheduler's rules (six fields,
 * `?` in day-of-month or day-of-week, never both values), the schedule repeats every week so that its hours can be
 * priced: day-of-month `?` or `*`, month and year `*`. Returns the weekly firing times, or a problem.
 */
export function parseCron(expression: string): Weekly | string {
  const fields = cronFields(expression);
  if (!fields)
    return `"${expression}" is not a cron(...) expression (EventBridge Scheduler: cron(minutes hours day-of-month month day-of-week year))`;
  if (fields.length !== 6)
    return `"${expression}" has ${fields.length} fields; EventBridge Scheduler's cron has 6: minutes hours day-of-month month day-of-week year`;
  const [dom, , dow] = [fields[2], fields[3], fields[4]];
  if ((dom === "?") === (dow === "?"))
    return `"${expression}": exactly one of day-of-month and day-of-week must be ? (EventBridge Scheduler)`;
  const parsed: Set<number>[] = [];
  for (const [i, spec] of FIELDS.entries()) {
    const text = fields[i];
    if (text === "?") {
      parsed.push(new Set());
      continue;
    }
    const values = fieldValues(text, spec);
    if (typeof values === "string") return `"${expression}": ${values}`;
    parsed.push(values);
  }
  if (!(dom === "?" || dom === "*") || fields[3] !== "*" || fields[5] !== "*")
    return `"${expression}": the schedule repeats every week (its hours are priced per week): day-of-month ? or *, month and year *`;
  const days = dow === "?" ? new Set([0, 1, 2, 3, 4, 5, 6]) : new Set([...parsed[4]].map((d) => d - 1));
  return { minutes: parsed[0], hours: parsed[1], days };
}

/** Whether an IANA time zone name (`America/Sao_Paulo`, `UTC`) is one this runtime's tz database knows. */
export function isIanaTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const cron = z.string().superRefine((text, ctx) => {
  const parsed = parseCron(text);
  if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
});

/** At most this many minutes of lead: an RDS start takes minutes, not hours. */
const MAX_DATABASE_LEAD_MINUTES = 60;

export const ScheduleSchema = z
  .object({
    /** When the services scale to zero and the RDS primary stops: an EventBridge Scheduler `cron(...)` (6 fields). Required. */
    stop: cron,
    /** When they come back (the services to their configured minimum and maximum, the primary started). Required. */
    start: cron,
    /** IANA time zone both expressions are read in (`America/Sao_Paulo`). @default "UTC" */
    timezone: z
      .string()
      .refine(isIanaTimeZone, "must be an IANA time zone name such as America/Sao_Paulo or UTC")
      .default("UTC"),
    /**
     * Minutes the RDS primary starts before the services: RDS takes several minutes to make a started instance
     * available, and services started with it fail their health checks (and page) until it is. The database's start is
     * `start` moved this much earlier, so `start` needs one minute and one hour value when it is above 0.
     * @default 15
     */
    databaseLeadMinutes: z.number().int().min(0).max(MAX_DATABASE_LEAD_MINUTES).default(15),
  })
  .strict()
  .superRefine((s, ctx) => {
    const problem = databaseStartProblem(s);
    if (problem) ctx.addIssue({ code: "custom", path: ["databaseLeadMinutes"], message: problem });
  });

export type ScheduleConfig = z.output<typeof ScheduleSchema>;

type LeadSchedule = Pick<ScheduleConfig, "start"> & { readonly databaseLeadMinutes?: number };

/**
 * The database's start: `start` moved `databaseLeadMinutes` earlier (`cron(0 9 ? * MON-FRI *)`, 15 →
 * `cron(45 8 ? * MON-FRI *)`; across midnight the weekdays move back a day); or the problem that prevents it.
 */
function leadStart(schedule: LeadSchedule): { expression: string } | string {
  const lead = schedule.databaseLeadMinutes ?? 0;
  const start = parseCron(schedule.start);
  if (lead === 0 || typeof start === "string") return { expression: schedule.start };
  if (start.minutes.size !== 1 || start.hours.size !== 1)
    return `the database starts ${lead} minutes before the services, which needs a start with one minute and one hour value (${schedule.start}); set 0 to start both together`;
  const at = [...start.hours][0] * 60 + [...start.minutes][0] - lead;
  const [minute, hour] = [(at + 1440) % 60, Math.floor(((at + 1440) % 1440) / 60)];
  const fields = cronFields(schedule.start) as string[];
  const days =
    at >= 0 || fields[4] === "?"
      ? fields[4]
      : [...start.days]
          .map((d) => (d + 6) % 7)
          .sort()
          .map((d) => DAY_NAMES[d])
          .join(",");
  return { expression: `cron(${[minute, hour, fields[2], fields[3], days, fields[5]].join(" ")})` };
}

/** Why the database's start cannot be derived from `start` (the schema refuses it), or undefined. */
export function databaseStartProblem(schedule: LeadSchedule): string | undefined {
  const r = leadStart(schedule);
  return typeof r === "string" ? r : undefined;
}

/** The expression that starts the RDS primary: `start` moved `databaseLeadMinutes` earlier (see leadStart). */
export function databaseStart(schedule: LeadSchedule): string {
  const r = leadStart(schedule);
  if (typeof r === "string") throw new Error(`schedule.databaseLeadMinutes: ${r}`);
  return r.expression;
}

/** What a week of the two expressions gives: hours running, and the longest stretch stopped. */
export interface ScheduledWeek {
  readonly runningHours: number;
  readonly longestStopHours: number;
}

/** Each minute of a week (0 = Sunday 00:00, in the schedule's time zone): running or stopped, or a problem. */
function weekStates(schedule: Pick<ScheduleConfig, "stop" | "start">): boolean[] | string {
  const stop = parseCron(schedule.stop);
  const start = parseCron(schedule.start);
  if (typeof stop === "string") return stop;
  if (typeof start === "string") return start;
  const fires = (w: Weekly, minute: number) => {
    const day = Math.floor(minute / 1440) % 7;
    return w.days.has(day) && w.hours.has(Math.floor(minute / 60) % 24) && w.minutes.has(minute % 60);
  };
  // Two weeks: the first settles the state the second starts from.
  let running: boolean | undefined;
  const states: boolean[] = [];
  let [stops, starts] = [0, 0];
  for (let t = 0; t < 2 * WEEK_MINUTES; t++) {
    const s = fires(stop, t % WEEK_MINUTES);
    const r = fires(start, t % WEEK_MINUTES);
    if (s && r) return "stop and start fire at the same minute";
    if (s) [running, stops] = [false, stops + 1];
    if (r) [running, starts] = [true, starts + 1];
    if (t >= WEEK_MINUTES) states.push(running === true);
  }
  if (stops === 0) return "the stop expression never fires";
  if (starts === 0) return "the start expression never fires";
  return states;
}

/** The week the two expressions give: hours running, and the longest stretch stopped; or a problem. */
export function scheduledWeek(schedule: Pick<ScheduleConfig, "stop" | "start">): ScheduledWeek | string {
  const states = weekStates(schedule);
  if (typeof states === "string") return states;
  let [stopped, longest] = [0, 0];
  // Twice round the week, so a stretch that wraps past Saturday midnight is measured whole.
  for (const running of [...states, ...states]) {
    stopped = running ? 0 : stopped + 1;
    longest = Math.max(longest, Math.min(stopped, WEEK_MINUTES));
  }
  return { runningHours: states.filter(Boolean).length / 60, longestStopHours: longest / 60 };
}

/** The time zone's offsets from UTC in minutes across a year (January and July: standard and daylight time). */
function utcOffsets(timezone: string): number[] {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  const offset = (utc: number) => {
    const part = (type: string) => Number(format.formatToParts(utc).find((p) => p.type === type)?.value);
    const local = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"));
    return (local - utc) / 60_000;
  };
  return [...new Set([offset(Date.UTC(2026, 0, 15, 12)), offset(Date.UTC(2026, 6, 15, 12))])];
}

/**
 * Whether a daily UTC window (`hh:mm-hh:mm`, RDS's backup window) falls inside the database's running hours (from
 * its start, `databaseLeadMinutes` before the services', to the stop) on every day it starts, in standard and
 * daylight time; the first day it does not, or undefined. RDS takes automated backups only while the instance is
 * available.
 */
export function windowOutsideRunningHours(schedule: ScheduleConfig, windowUtc: string): string | undefined {
  const lead = leadStart(schedule);
  // A problem of the schedule itself is its own field's.
  if (typeof lead === "string" || typeof weekStates(schedule) === "string") return undefined;
  const states = weekStates({ stop: schedule.stop, start: lead.expression });
  const start = parseCron(lead.expression);
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(windowUtc);
  if (typeof states === "string" || typeof start === "string" || !m || !isIanaTimeZone(schedule.timezone))
    return undefined;
  const from = Number(m[1]) * 60 + Number(m[2]);
  const length = (Number(m[3]) * 60 + Number(m[4]) - from + 1440) % 1440;
  for (const offset of utcOffsets(schedule.timezone))
    for (const day of [...start.days].sort()) {
      const first = day * 1440 + ((from + offset + 1440) % 1440);
      for (let t = first; t < first + length; t++)
        if (!states[t % WEEK_MINUTES]) {
          const local = (from + offset + 1440) % 1440;
          const hhmm = `${String(Math.floor(local / 60)).padStart(2, "0")}:${String(local % 60).padStart(2, "0")}`;
          return `${DAY_NAMES[day]} ${hhmm} ${schedule.timezone} (UTC${offset >= 0 ? "+" : "-"}${Math.abs(offset / 60)})`;
        }
    }
  return undefined;
}

/** Hours a month the schedule keeps the scheduled resources running (a month of HOURS_PER_MONTH hours, 730). */
export function scheduledMonthHours(schedule: Pick<ScheduleConfig, "stop" | "start">, hoursPerMonth: number): number {
  const week = scheduledWeek(schedule);
  if (typeof week === "string") throw new Error(`schedule: ${week}`);
  return Math.round(((week.runningHours * hoursPerMonth) / WEEK_HOURS) * 10) / 10;
}
