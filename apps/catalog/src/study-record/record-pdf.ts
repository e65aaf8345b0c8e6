import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import {
  formatDuration,
  formatHours,
  groupRecordCode,
  type IssuedStudyRecord,
  type StudyRecordExam,
  type StudyRecordPlan,
} from '#contracts';
import { describeHoursByRule } from '../study/hours-by-rule.js';
import { RECORD_LABELS, fill, issuedText, type RecordLang } from './record-labels.js';

/** Debian's `fonts-noto-cjk`: the one font the record uses, for Chinese and Latin text alike. */
export const CJK_FONT_PACKAGE = 'fonts-noto-cjk';
const FONT_DIRS = ['/usr/share/fonts/opentype/noto', '/usr/share/fonts/noto-cjk', '/usr/share/fonts/truetype/noto'];
const REGULAR = { file: 'NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' };
const BOLD = { file: 'NotoSansCJK-Bold.ttc', face: 'NotoSansCJKsc-Bold' };

export interface RecordFonts {
  regular: string;
  bold: string;
}

/** Where the CJK font files are; null when the package is not installed. */
export function findRecordFonts(dirs: readonly string[] = FONT_DIRS): RecordFonts | null {
  for (const dir of dirs) {
    const regular = `${dir}/${REGULAR.file}`;
    if (!existsSync(regular)) continue;
    const bold = `${dir}/${BOLD.file}`;
    return { regular, bold: existsSync(bold) ? bold : regular };
  }
  return null;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const FOOTER = 30;
const INK = '#111111';
const MUTED = '#444444';

/**
 * Draws the record as an A4 PDF: who, when, each plan's figures and completed lectures, and at the end a
 * QR code of `verifyUrl` with the address in text and the record number. Every page's footer repeats
 * the number. Fonts are embedded as subsets (only the glyphs used), so a record stays small.
 */
export function renderRecordPdf(record: IssuedStudyRecord, verifyUrl: string, fonts: RecordFonts): Promise<Buffer> {
  const lang: RecordLang = record.lang;
  const L = RECORD_LABELS[lang];
  const { snapshot } = record;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang,
    displayTitle: true,
    info: {
      Title: `${L.title} · ${snapshot.name}`,
      Author: 'Lectern',
      Subject: `${L.number} ${record.code}`,
      Keywords: verifyUrl,
    },
  });
  doc.registerFont('body', fonts.regular, REGULAR.face);
  doc.registerFont('bold', fonts.bold, fonts.bold === fonts.regular ? REGULAR.face : BOLD.face);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = MARGIN;
  const width = A4.width - 2 * MARGIN;
  const bottom = A4.height - MARGIN - FOOTER;
  const ensure = (height: number) => {
    if (doc.y + height > bottom) doc.addPage();
  };
  /** A line across the text column at the current position. */
  const ruleAcross = (lineWidth: number, color: string) =>
    doc
      .moveTo(left, doc.y)
      .lineTo(left + width, doc.y)
      .lineWidth(lineWidth)
      .strokeColor(color)
      .stroke();

  doc.font('bold').fontSize(22).fillColor(INK).text(L.title, left, MARGIN, { width, align: 'center' });
  doc.moveDown(0.6);
  const field = (label: string, value: string) => {
    doc.font('body').fontSize(12).fillColor(MUTED).text(`${label}${L.colon}`, left, doc.y, { continued: true });
    doc.fillColor(INK).text(value);
    doc.moveDown(0.15);
  };
  field(L.name, snapshot.name);
  field(L.login, snapshot.login);
  field(L.unit, snapshot.unitPath.join(' / '));
  field(L.issued, issuedText(record.issuedAt, record.timeZone, lang));
  field(L.number, groupRecordCode(record.code));
  doc.moveDown(0.5);

  if (snapshot.plans.length === 0) doc.font('body').fontSize(12).fillColor(INK).text(L.noPlans, left, doc.y, { width });
  for (const plan of snapshot.plans) drawPlan(plan);
  if (snapshot.exams?.length) drawExams(snapshot.exams);

  // The QR code and the address, kept together on one page.
  const qr = QRCode.create(verifyUrl, { errorCorrectionLevel: 'M' });
  const modules = qr.modules.size;
  const cell = 3;
  const quiet = 4 * cell;
  const side = modules * cell + 2 * quiet;
  doc.font('body').fontSize(11);
  const textHeight = doc.heightOfString(verifyUrl, { width: width - side - 16 }) + 60;
  ensure(Math.max(side, textHeight) + 20);
  doc.moveDown(0.8);
  const top = doc.y;
  doc.save();
  doc.rect(left, top, side, side).fill('#ffffff');
  for (let row = 0; row < modules; row++) {
    for (let col = 0; col < modules; col++) {
      if (qr.modules.get(row, col)) doc.rect(left + quiet + col * cell, top + quiet + row * cell, cell, cell);
    }
  }
  doc.fill(INK);
  doc.restore();
  doc.link(left, top, side, side, verifyUrl);
  const textLeft = left + side + 16;
  const textWidth = width - side - 16;
  doc
    .font('body')
    .fontSize(11)
    .fillColor(INK)
    .text(L.verify, textLeft, top + 4, { width: textWidth });
  doc.moveDown(0.3);
  doc.fillColor('#0b4ea2').text(verifyUrl, textLeft, doc.y, { width: textWidth, link: verifyUrl, underline: true });
  doc.moveDown(0.3);
  doc
    .font('bold')
    .fillColor(INK)
    .text(`${L.number}${L.colon}${groupRecordCode(record.code)}`, textLeft, doc.y, { width: textWidth });
  doc.y = Math.max(doc.y, top + side);

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc
      .font('body')
      .fontSize(9)
      .fillColor(MUTED)
      .text(fill(L.footer, { code: groupRecordCode(record.code), page: i + 1, pages: range.count }), left, A4.height - MARGIN - 12, {
        width,
        align: 'center',
        lineBreak: false,
        height: 14,
      });
  }
  doc.end();
  return done;

  function drawPlan(plan: StudyRecordPlan) {
    ensure(120);
    doc.moveDown(0.6);
    ruleAcross(0.8, '#999999');
    doc.moveDown(0.4);
    doc.font('bold').fontSize(15).fillColor(INK).text(plan.name, left, doc.y, { width });
    doc.moveDown(0.2);
    const status = plan.closedAt ? L.closedResult[plan.status === 'met' ? 'met' : 'notMet'] : L.status_[plan.status];
    const facts = [
      `${L.period}${L.colon}${plan.periodStart} ~ ${plan.periodEnd}${L.aside(L.modes[plan.mode])}`,
      `${L.required}${L.colon}${formatHours(plan.requiredHours, lang)}    ${L.earned}${L.colon}${formatHours(plan.earnedHours, lang)}    ${L.status}${L.colon}${status}`,
    ];
    doc.font('body').fontSize(12).fillColor(INK);
    for (const line of facts) doc.text(line, left, doc.y, { width });
    if (plan.closedAt) doc.fillColor(MUTED).text(fill(L.closed, { date: plan.closedAt.slice(0, 10) }), left, doc.y, { width });
    const parts = plan.hoursByRule.filter((p) => p.hours > 0 || p.rule === plan.mode || p.rule === 'frozen');
    doc.fillColor(MUTED).text(`${L.byRule}${L.colon}${describeHoursByRule(parts, L.rules, (h) => formatHours(h, lang))}`, left, doc.y, {
      width,
    });
    doc.moveDown(0.4);
    doc.font('bold').fontSize(12).fillColor(INK).text(L.lectures, left, doc.y, { width });
    doc.moveDown(0.15);
    if (plan.lectures.length === 0) {
      doc.font('body').fontSize(11).fillColor(MUTED).text(L.noLectures, left, doc.y, { width });
      return;
    }
    const columns = [0.32, 0.36, 0.16, 0.16];
    tableRow(columns, [L.course, L.lecture, L.completedOn, L.credited], 'bold');
    for (const lecture of plan.lectures) {
      tableRow(
        columns,
        [lecture.courseTitle, lecture.lectureTitle, lecture.completedOn, formatDuration(lecture.creditedSec, lang)],
        'body',
      );
    }
    doc.x = left;
  }

  function drawExams(exams: readonly StudyRecordExam[]) {
    ensure(80);
    doc.moveDown(0.6);
    ruleAcross(0.8, '#999999');
    doc.moveDown(0.4);
    doc.font('bold').fontSize(15).fillColor(INK).text(L.exams, left, doc.y, { width });
    doc.moveDown(0.2);
    const columns = [0.6, 0.2, 0.2];
    tableRow(columns, [L.exam, L.passedOn, L.score], 'bold');
    for (const exam of exams) {
      tableRow(columns, [exam.title, exam.passedOn, `${formatScore(exam.score)} / ${formatScore(exam.maxScore)}`], 'body');
    }
    doc.x = left;
  }

  /** One row of a table across the text column; `shares` of the width per cell; a new page when it does not fit. */
  function tableRow(shares: readonly number[], cells: string[], font: 'body' | 'bold') {
    const columns = shares.map((share) => share * width);
    doc.font(font).fontSize(10.5);
    const heights = cells.map((text, i) => doc.heightOfString(text, { width: columns[i]! - 6 }));
    const height = Math.max(...heights) + 4;
    if (doc.y + height > bottom) doc.addPage();
    const y = doc.y;
    let x = left;
    cells.forEach((text, i) => {
      doc.fillColor(font === 'bold' ? MUTED : INK).text(text, x, y + 2, { width: columns[i]! - 6 });
      x += columns[i]!;
    });
    doc.y = y + height;
    ruleAcross(0.3, '#cccccc');
  }
}

/** A score as printed: whole points without decimals, else up to two. */
const formatScore = (points: number) => String(Math.round(points * 100) / 100);
