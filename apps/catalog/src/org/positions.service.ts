import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isWithinScope, type Principal } from '#auth';
import type { MemberPositionView, PositionKindView, UnitHolderView } from '#contracts';
import type { AppointInput, CreatePositionKindInput, EndPositionInput } from './positions.schemas.js';
import { ScopeService } from './scope.service.js';

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';
const today = () => new Date().toISOString().slice(0, 10);

const POSITION_COLUMNS = `
  p.id, p.user_id AS "userId", p.position_code AS "positionCode", k.name_zh AS "positionNameZh", k.name_en AS "positionNameEn",
  json_build_object('id', o.id, 'name', o.name, 'path', o.path) AS "orgUnit",
  to_char(p.started_on, 'YYYY-MM-DD') AS "startedOn", to_char(p.ended_on, 'YYYY-MM-DD') AS "endedOn", p.ended_on IS NULL AS current`;

/**
 * Positions people hold in units. Appointing adds a row; ending one sets its end date and keeps it,
 * so who held which position when stays on record. Every read and write stays in the caller's subtree.
 */
@Injectable()
export class PositionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  /** The built-ins, then kinds added above or inside the caller's unit (those a unit of the subtree may use). */
  async listKinds(principal: Principal): Promise<PositionKindView[]> {
    const root = await this.scope.rootOf(principal);
    return this.db.query(
      `SELECT k.code, k.name_zh AS "nameZh", k.name_en AS "nameEn", k.builtin,
              CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('id', o.id, 'name', o.name, 'path', o.path) END AS "ownerUnit"
         FROM position_kinds k
         LEFT JOIN org_units o ON o.id = k.owner_unit_id
        WHERE k.builtin OR o.path = $1 OR $1 LIKE o.path || '/%' OR o.path LIKE $1 || '/%'
        ORDER BY k.builtin DESC, k.sort_order, k.code`,
      [root.path],
    );
  }

  async createKind(principal: Principal, input: CreatePositionKindInput): Promise<PositionKindView> {
    const unit = await this.scope.rootOf(principal);
    try {
      await this.db.query(`INSERT INTO position_kinds (code, name_zh, name_en, builtin, owner_unit_id) VALUES ($1, $2, $3, false, $4)`, [
        input.code,
        input.nameZh,
        input.nameEn,
        unit.id,
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`The position code "${input.code}" is taken. Choose another code.`);
      throw error;
    }
    return {
      code: input.code,
      nameZh: input.nameZh,
      nameEn: input.nameEn,
      builtin: false,
      ownerUnit: { id: unit.id, name: unit.name, path: unit.path },
    };
  }

  /** A member's positions in units of the caller's subtree, current ones first, then the most recent. */
  async forMember(principal: Principal, userId: string): Promise<MemberPositionView[]> {
    const root = await this.memberInScope(principal, userId);
    return this.db.query(
      `SELECT ${POSITION_COLUMNS}
         FROM member_positions p
         JOIN position_kinds k ON k.code = p.position_code
         JOIN org_units o ON o.id = p.org_unit_id
        WHERE p.user_id = $1 AND (o.path = $2 OR o.path LIKE $2 || '/%')
        ORDER BY p.ended_on IS NULL DESC, p.ended_on DESC NULLS FIRST, p.started_on DESC, o.path, k.sort_order`,
      [userId, root],
    );
  }

  async appoint(principal: Principal, userId: string, input: AppointInput): Promise<MemberPositionView> {
    await this.memberInScope(principal, userId);
    const unit = await this.scope.unitInScope(principal, input.orgUnitId);
    const [kind] = await this.db.query(
      `SELECT k.code FROM position_kinds k LEFT JOIN org_units o ON o.id = k.owner_unit_id
        WHERE k.code = $1 AND (k.builtin OR o.path = $2 OR $2 LIKE o.path || '/%')`,
      [input.positionCode, unit.path],
    );
    if (!kind) {
      throw new BadRequestException(
        `The position "${input.positionCode}" is not one that ${unit.name} can use. Choose a position from the list, or add it in the settings.`,
      );
    }
    const startedOn = input.startedOn ?? today();
    let id: string;
    try {
      [{ id }] = await this.db.query(
        `INSERT INTO member_positions (user_id, org_unit_id, position_code, started_on) VALUES ($1, $2, $3, $4) RETURNING id`,
        [userId, unit.id, kind.code, startedOn],
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException(`This person already holds that position in ${unit.name}. End it first if it should start again.`);
      }
      throw error;
    }
    return this.positionInScope(principal, id);
  }

  async end(principal: Principal, positionId: string, input: EndPositionInput): Promise<MemberPositionView> {
    const position = await this.positionInScope(principal, positionId);
    if (!position.current) throw new ConflictException(`This position already ended on ${position.endedOn}.`);
    const endedOn = input.endedOn ?? today();
    if (endedOn < position.startedOn) {
      throw new BadRequestException(`The end date must be on or after the start date, ${position.startedOn}.`);
    }
    const ended = await this.db.query(`UPDATE member_positions SET ended_on = $2 WHERE id = $1 AND ended_on IS NULL RETURNING id`, [
      positionId,
      endedOn,
    ]);
    // A concurrent request ended it first.
    if (ended[0].length === 0) throw new ConflictException('This position has already ended.');
    return this.positionInScope(principal, positionId);
  }

  /** Who holds which position in a unit now. */
  async holders(principal: Principal, unitId: string): Promise<UnitHolderView[]> {
    const unit = await this.scope.unitInScope(principal, unitId);
    return this.db.query(
      `SELECT ${POSITION_COLUMNS}, json_build_object('id', u.id, 'login', u.login, 'name', u.name) AS member
         FROM member_positions p
         JOIN position_kinds k ON k.code = p.position_code
         JOIN org_units o ON o.id = p.org_unit_id
         JOIN users u ON u.id = p.user_id
        WHERE p.org_unit_id = $1 AND p.ended_on IS NULL
        ORDER BY k.sort_order, k.code, p.started_on, u.name`,
      [unit.id],
    );
  }

  private async positionInScope(principal: Principal, positionId: string): Promise<MemberPositionView> {
    const root = await this.scope.rootOf(principal);
    const [position] = await this.db.query(
      `SELECT ${POSITION_COLUMNS}
         FROM member_positions p
         JOIN position_kinds k ON k.code = p.position_code
         JOIN org_units o ON o.id = p.org_unit_id
         JOIN users u ON u.id = p.user_id
         JOIN org_units uo ON uo.id = u.org_unit_id
        WHERE p.id = $1 AND (o.path = $2 OR o.path LIKE $2 || '/%') AND (uo.path = $2 OR uo.path LIKE $2 || '/%')`,
      [positionId, root.path],
    );
    if (!position) throw new NotFoundException('No such position in your organisation.');
    return position;
  }

  /** The caller's subtree path, once the member is known to lie in it. */
  private async memberInScope(principal: Principal, userId: string): Promise<string> {
    const root = await this.scope.rootOf(principal);
    const [member] = await this.db.query(`SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1`, [userId]);
    if (!member || !isWithinScope(member.path, root.path)) throw new NotFoundException('No such person in your organisation.');
    return root.path;
  }
}
