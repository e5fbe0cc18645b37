/** Entrypoint: the same file runs as the main step and as the post step (`post-if: always()`). */
import './shims.js'
import { getState } from './runner.js'
import { State } from './constants.js'

if (getState(State.isPost) === 'true') {
  const { runPost } = await import('./post.js')
  await runPost()
} else {
  const { run } = await import('./main.js')
  await run()
}
