import { store } from './store';
import { api } from './api';
import { dispatch } from './dispatch';
import { plan } from './plan';
import { sign } from './sign';
import { intake } from './intake';
import { panel } from './panel';
import { evidence } from './evidence';
import { csv } from './csv';
import { scale } from './scale';

/** Each group returns its figures; names are "<group>.<figure>_<unit>". */
export const groups: Record<string, () => Promise<Record<string, number>>> = { store, api, dispatch, plan, sign, intake, panel, evidence, csv, scale };
