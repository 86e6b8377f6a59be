import { Chip } from './Chip';
import { useChannelState } from './channelState';

/** The channel's state as a chip, the same everywhere it is shown. */
export function ChannelStateChip({ testId }: { testId?: string }) {
  const { tone, label, state, why } = useChannelState();
  return (
    <span data-testid={testId} data-state={state} title={why ?? undefined}>
      <Chip tone={tone}>{label}</Chip>
    </span>
  );
}
