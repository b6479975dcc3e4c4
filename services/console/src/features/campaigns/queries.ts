import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type ResponseOf } from '../../api/client.ts';

export type Campaign = ResponseOf<'/v1/campaigns/{id}', 'get'>;
export type CampaignStatus = Campaign['status'];
export type Template = ResponseOf<'/v1/templates/{id}', 'get'>;

export const useCampaign = (id: string) =>
  useQuery({
    queryKey: ['campaign', id],
    queryFn: () => unwrap(api.GET('/v1/campaigns/{id}', { params: { path: { id } } })),
  });

/** Templates are few (Meta allows a few hundred per account); one page of the largest size holds them. */
export const useTemplates = () =>
  useQuery({
    queryKey: ['templates'],
    queryFn: () => unwrap(api.GET('/v1/templates', { params: { query: { limit: 500 } } })),
  });
