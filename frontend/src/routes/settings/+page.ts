import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';

// /settings has no page of its own: open the first settings page.
export function load(): never {
  redirect(307, resolve('/settings/keys'));
}
